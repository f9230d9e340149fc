# syntax=docker/dockerfile:1.7
# check=error=false
ARG RUST_VERSION=1.78
ARG APP_NAME=api

FROM rust:${RUST_VERSION}-slim-bookworm AS build
ARG APP_NAME
WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    <<EOF
set -e
cargo build --locked --release
cp ./target/release/$APP_NAME /bin/server
EOF

FROM debian:bookworm-slim AS final
ARG UID=10001
RUN adduser \
    --disabled-password \
    --gecos "" \
    --home "/nonexistent" \
    --shell "/sbin/nologin" \
    --no-create-home \
    --uid "${UID}" \
    appuser
USER appuser
COPY --from=build /bin/server /bin/
COPY --chmod=755 <<EOT /usr/local/bin/healthcheck.sh
#!/bin/sh
wget -qO- http://localhost:8000/ping
EOT
EXPOSE 8000
HEALTHCHECK CMD ["/usr/local/bin/healthcheck.sh"]
CMD ["/bin/server"]
