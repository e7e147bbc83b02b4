# A container with the command: `docker build -t reconciler .`, then
#   docker run --rm -v "$PWD:/work" -e C2T_CLIENT_SECRET ... reconciler plan .
# or the agent (git is in the image; its clone and history live in the volume):
#   docker run -d -p 8080:8080 -v reconciler-state:/var/lib/reconciler -e AGENT_TOKEN ... \
#     reconciler agent --repo https://github.com/acme/sms.git --listen 0.0.0.0:8080 \
#     --state /var/lib/reconciler
# The wheel is built from this checkout and installed in a slim image; it runs as a
# non-root user. Vendor secrets come from the environment (-e), never from the image.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir "build>=1.0" && python -m build --wheel --outdir /dist

FROM python:3.11-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 reconciler \
    && install -d -o reconciler -g reconciler /var/lib/reconciler
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/*.whl && rm -rf /tmp/dist
USER reconciler
WORKDIR /work
VOLUME ["/var/lib/reconciler"]
EXPOSE 8080
ENTRYPOINT ["reconciler"]
CMD ["--help"]
