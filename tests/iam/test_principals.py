from ecrlint.iam import principals as pr
from ecrlint.source import Span
from ecrlint.values import known, unknown

S = Span("p.json", 1, 1, 1, 1)


def one(type_name, text):
    return pr.principal_from(type_name, known(text, S))


def test_everyone_forms():
    assert one("*", "*").kind == pr.EVERYONE
    assert one("AWS", "*").kind == pr.EVERYONE
    mapping = {"*": [known("*", S)]}
    assert [p.kind for p in pr.principals_from(mapping)] == [pr.EVERYONE]


def test_accounts_and_identities():
    p = one("AWS", "111122223333")
    assert (p.kind, p.account) == (pr.ACCOUNT, "111122223333")
    p = one("AWS", "arn:aws:iam::111122223333:root")
    assert (p.kind, p.account) == (pr.ACCOUNT, "111122223333")
    p = one("AWS", "arn:aws:iam::111122223333:role/path/deployer")
    assert (p.kind, p.account) == (pr.IDENTITY, "111122223333")
    p = one("AWS", "arn:aws:sts::111122223333:assumed-role/deployer/session")
    assert (p.kind, p.account) == (pr.IDENTITY, "111122223333")
    p = one("aws", "arn:aws-us-gov:iam::111122223333:user/alice")
    assert (p.type, p.kind, p.account) == ("AWS", pr.IDENTITY, "111122223333")


def test_account_wildcard():
    assert one("AWS", "arn:aws:iam::*:root").kind == pr.ACCOUNT_WILDCARD
    assert one("AWS", "arn:aws:iam::1111*:role/x").kind == pr.ACCOUNT_WILDCARD


def test_services_and_federation():
    p = one("Service", "lambda.amazonaws.com")
    assert p.kind == pr.SERVICE and p.service_name() == "lambda"
    assert one("Federated", "cognito-identity.amazonaws.com").kind == pr.FEDERATED
    assert one("CanonicalUser", "79a59df9").kind == pr.CANONICAL_USER


def test_unique_id_names_no_account():
    p = one("AWS", "AROAEXAMPLEID")
    assert p.kind == pr.UNKNOWN and p.reason


def test_undecided_values():
    whole = pr.principal_from("AWS", unknown("variable has no value", S, symbolic="${var.principal}"))
    assert whole.kind == pr.UNKNOWN and "variable" in whole.reason
    partner = pr.principal_from("AWS", unknown("no default", S, symbolic="arn:aws:iam::${var.partner}:root"))
    assert partner.kind == pr.ACCOUNT and partner.account is None and partner.reason
    own = pr.principal_from("AWS", unknown("pseudo", S, symbolic="arn:aws:iam::${AWS::AccountId}:root"))
    assert own.kind == pr.ACCOUNT and own.own_account
    role = pr.principal_from("AWS", unknown("name unknown", S, symbolic="arn:aws:iam::111122223333:role/${var.n}"))
    assert role.kind == pr.IDENTITY and role.account == "111122223333" and role.reason is None
    service = pr.principal_from("Service", unknown("suffix", S, symbolic="lambda.${AWS::URLSuffix}"))
    assert service.kind == pr.SERVICE and service.service_name() == "lambda"
    opaque = pr.principal_from("AWS", unknown("no text", S))
    assert opaque.kind == pr.UNKNOWN


def test_not_principal_is_everyone_except():
    p = pr.everyone_except({"AWS": [known("arn:aws:iam::111122223333:root", S)]}, known({}, S))
    assert p.kind == pr.EVERYONE and p.via_not_principal
    assert "everyone except arn:aws:iam::111122223333:root" in p.describe()


def test_covers():
    everyone = one("AWS", "*")
    account = one("AWS", "111122223333")
    role = one("AWS", "arn:aws:iam::111122223333:role/x")
    other = one("AWS", "arn:aws:iam::999988887777:role/x")
    assert pr.covers(everyone, role) is True
    assert pr.covers(account, role) is True
    assert pr.covers(account, other) is False
    assert pr.covers(role, account) is False
    assert pr.covers(role, everyone) is False
    assert pr.covers(one("AWS", "arn:aws:iam::*:root"), other) is True
    lam = one("Service", "lambda.amazonaws.com")
    assert pr.covers(lam, one("Service", "lambda.amazonaws.com")) is True
    assert pr.covers(lam, one("Service", "codebuild.amazonaws.com")) is False
    unknown_p = pr.principal_from("AWS", unknown("?", S, symbolic="${var.p}"))
    assert pr.covers(unknown_p, role) is None
    not_p = pr.everyone_except({"AWS": [known("111122223333", S)]}, known({}, S))
    assert pr.covers(not_p, role) is False
    assert pr.covers(not_p, other) is True
    assert pr.covers(not_p, everyone) is False
