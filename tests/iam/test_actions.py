from ecrlint.iam import actions as act


def test_catalog_loads_every_action_once():
    everything = act.all_actions()
    assert len(everything) == 83
    assert len(act.all_actions("ecr")) == 60
    assert len(act.all_actions("ecr-public")) == 23


def test_literal_names_are_case_insensitive():
    assert act.expand("ECR:batchgetimage") == {"ecr:BatchGetImage"}
    assert act.canonical("ecr:putimage") == "ecr:PutImage"


def test_service_wildcard():
    assert act.expand("ecr:*") == act.all_actions("ecr")
    assert act.expand("ecr-public:*") == act.all_actions("ecr-public")
    assert act.expand("*") == act.all_actions()


def test_prefix_and_infix_wildcards():
    assert act.expand("ecr:Put*") == {
        "ecr:PutAccountSetting",
        "ecr:PutImage",
        "ecr:PutImageScanningConfiguration",
        "ecr:PutImageTagMutability",
        "ecr:PutLifecyclePolicy",
        "ecr:PutRegistryPolicy",
        "ecr:PutRegistryScanningConfiguration",
        "ecr:PutReplicationConfiguration",
        "ecr:PutSigningConfiguration",
    }
    infix = act.expand("ecr:*Image*")
    assert {"ecr:BatchGetImage", "ecr:PutImage", "ecr:ReplicateImage", "ecr:ListImages"} <= infix
    assert "ecr:GetDownloadUrlForLayer" not in infix
    assert all(a.startswith("ecr:") for a in infix)


def test_question_mark_matches_one_character():
    assert act.expand("ecr:PutImag?") == {"ecr:PutImage"}
    assert act.expand("ecr:PutImage?") == set()


def test_other_services_expand_to_nothing_but_are_noticed():
    assert act.expand("s3:GetObject") == set()
    assert act.may_name_other_actions("s3:GetObject")
    assert act.may_name_other_actions("*")
    assert act.may_name_other_actions("ec*:Get*")
    assert not act.may_name_other_actions("ecr:*")
    assert not act.may_name_other_actions("ecr-public:Put*")


def test_unknown_ecr_action_is_reported_not_guessed():
    assert act.expand("ecr:DoSomethingNew") == set()
    assert act.names_unknown_ecr_action("ecr:DoSomethingNew")
    assert not act.names_unknown_ecr_action("ecr:Put*")


def test_regex_metacharacters_are_literal():
    assert act.expand("ecr:.*") == set()
    assert act.expand("ecr:[P]utImage") == set()


def test_access_levels():
    assert act.access_level("ecr:BatchGetImage") == act.READ
    assert act.access_level("ecr:ListImages") == act.LIST
    assert act.access_level("ecr:PutImage") == act.WRITE
    assert act.access_level("ecr:SetRepositoryPolicy") == act.PERMISSIONS_MANAGEMENT
    assert act.access_level("ecr:TagResource") == act.TAGGING
    assert act.access_level("s3:GetObject") is None


def test_write_and_read_classification():
    everything = act.all_actions("ecr")
    writes = act.write_actions(everything)
    reads = act.read_actions(everything)
    assert "ecr:PutImage" in writes and "ecr:SetRepositoryPolicy" in writes
    assert "ecr:TagResource" not in writes and "ecr:TagResource" not in reads
    assert "ecr:BatchGetImage" in reads and "ecr:DescribeImages" in reads
    assert not writes & reads
    assert act.PULL_ACTIONS <= reads
    assert act.PUSH_ACTIONS - {"ecr:BatchCheckLayerAvailability"} <= writes
    groups = act.classify(["ecr:PutImage", "ecr:BatchGetImage", "x:Y"])
    assert groups[act.WRITE] == {"ecr:PutImage"} and groups["Unknown"] == {"x:Y"}


def test_resource_level_support():
    assert act.action_info("ecr:PutImage").supports_resources
    assert not act.action_info("ecr:GetAuthorizationToken").supports_resources


def test_summary_lists_dangerous_first():
    text = act.summarize(["ecr:BatchGetImage", "ecr:PutImage", "ecr:SetRepositoryPolicy"])
    assert text == "ecr:SetRepositoryPolicy, ecr:PutImage, ecr:BatchGetImage"
    assert act.summarize(act.all_actions("ecr"), limit=2).endswith("and 58 more")


def test_catalog_is_package_data():
    from importlib import resources

    assert resources.files("ecrlint").joinpath("data/ecr-iam-actions.json").is_file()
