# ecrlint in a container. Build from the repository root and mount the project to analyse at /src:
#   docker build -t ecrlint .
#   docker run --rm -v "$PWD:/src:ro" ecrlint check .
FROM python:3.12-slim

# Install from this checkout, then drop the sources: only the installed package stays in the image.
COPY . /tmp/ecrlint-src
RUN pip install --no-cache-dir /tmp/ecrlint-src && rm -rf /tmp/ecrlint-src \
    && useradd --create-home --uid 10001 ecrlint

# No network is needed at run time; the cache goes to the user's home, never into the mounted project.
USER ecrlint
WORKDIR /src
ENTRYPOINT ["ecrlint"]
CMD ["check", "."]
