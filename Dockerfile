# syntax=docker/dockerfile:1
#
# kakunin container image: `docker build -t kakunin .`
#
# By default the binary is static (CGO_ENABLED=0) on distroless/static: file keys
# only, as PKCS#11 needs cgo (package keys reaches HSMs through miekg/pkcs11,
# which loads the vendor's module with dlopen). For an HSM, build the cgo variant:
#   docker build --build-arg CGO_ENABLED=1 \
#     --build-arg RUN_IMAGE=gcr.io/distroless/base-debian13:nonroot -t kakunin:hsm .
# whose final stage has the glibc the module needs (build and run stages share
# the Debian release, so the glibc the binary links against is the one it runs on).
#
# Pin the images by digest in production, e.g.
#   docker buildx imagetools inspect golang:1.27.3-trixie
# and write FROM golang:1.27.3-trixie@sha256:<digest>.

ARG GO_IMAGE=golang:1.27.3-trixie
ARG RUN_IMAGE=gcr.io/distroless/static-debian13:nonroot

FROM ${GO_IMAGE} AS build
ARG CGO_ENABLED=0
ENV GOTOOLCHAIN=go1.27.3 CGO_ENABLED=${CGO_ENABLED} GOFLAGS=-trimpath
WORKDIR /src
# Dependencies first, so that source edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -buildvcs=false -ldflags='-s -w' -o /out/kakunin ./cmd/kakunin \
 && /out/kakunin version
# The data directory, owned by distroless's nonroot user (65532), so that a
# fresh named volume mounted there inherits the owner and mode.
RUN install -d -m 0700 -o 65532 -g 65532 /out/data

FROM ${RUN_IMAGE}
COPY --from=build /out/kakunin /usr/local/bin/kakunin
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
# Settings come from the environment so that a --config file or KAKUNIN_*
# variables can override them (flags would take precedence over both).
# Set KAKUNIN_BASE_URL to the public URL and KAKUNIN_DEMO=false in production.
ENV KAKUNIN_ADDR=0.0.0.0:8080 \
    KAKUNIN_DATA_DIR=/data
ENTRYPOINT ["/usr/local/bin/kakunin"]
CMD ["serve"]
