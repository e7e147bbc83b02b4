# A container with the command: `docker build -t reconciler .`, then
#   docker run --rm -v "$PWD:/work" -e C2T_CLIENT_SECRET ... reconciler plan .
# The wheel is built from this checkout and installed in a slim image; it runs as a
# non-root user. Vendor secrets come from the environment (-e), never from the image.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir "build>=1.0" && python -m build --wheel --outdir /dist

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 reconciler
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/*.whl && rm -rf /tmp/dist
USER reconciler
WORKDIR /work
ENTRYPOINT ["reconciler"]
CMD ["--help"]
