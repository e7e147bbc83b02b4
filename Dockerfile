# A container with the command: `docker build -t reconciler .`, then
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -e C2T_CLIENT_SECRET ... \
#     reconciler plan .
# (--user: the files it writes in /work, plan.json and the apply lock, are yours).
# or the agent (git is in the image; its clone and history live in the volume):
#   docker run -d -p 8080:8080 -v reconciler-state:/var/lib/reconciler -e AGENT_TOKEN ... \
#     reconciler agent --repo https://github.com/acme/sms.git --listen 0.0.0.0:8080 \
#     --state /var/lib/reconciler
# The wheel is built from this checkout and installed in a slim image with the exact
# versions of constraints.txt (make lock); it runs as a non-root user. Vendor secrets come
# from the environment (-e), never from the image. Pin the base by digest for a
# reproducible image: --build-arg PYTHON_IMAGE=python:3.11-slim@sha256:<digest>.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir "build>=1.0" && python -m build --wheel --outdir /dist

FROM ${PYTHON_IMAGE}
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 reconciler \
    && install -d -o reconciler -g reconciler /var/lib/reconciler
COPY --from=build /dist/ /tmp/dist/
COPY constraints.txt /tmp/dist/
RUN pip install --no-cache-dir -c /tmp/dist/constraints.txt /tmp/dist/*.whl && rm -rf /tmp/dist
USER reconciler
WORKDIR /work
VOLUME ["/var/lib/reconciler"]
EXPOSE 8080
ENTRYPOINT ["reconciler"]
CMD ["--help"]
