# Runtime image of TokenID metrics: the one jar on a JRE, run as a non-root user.
#
# The jar is built outside the image (the build needs Maven Central; the image build needs
# nothing but the base image):
#   mvn -q package -DskipTests
#   docker build -t tokenid-metrics .
#   docker run --rm tokenid-metrics token create --org acme
# docker-compose.yml builds it the same way; see ops/README.md.
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="tokenid-metrics" \
      org.opencontainers.image.description="Per-org Prometheus metrics of LLM API spend, computed by Kafka Streams"

# Fixed numeric ids, so Kubernetes' runAsNonRoot can verify the user and volumes can be chowned.
ARG TOKENID_UID=10001
RUN groupadd --system --gid "${TOKENID_UID}" tokenid \
 && useradd --system --uid "${TOKENID_UID}" --gid tokenid --no-create-home \
      --home-dir /var/lib/tokenid --shell /usr/sbin/nologin tokenid \
 && mkdir -p /opt/tokenid /var/lib/tokenid \
 && chown tokenid:tokenid /var/lib/tokenid

COPY streams-app/target/tokenid-metrics.jar /opt/tokenid/tokenid-metrics.jar

# Kafka Streams state (RocksDB). A named volume or PVC mounted here starts out owned by tokenid.
# No VOLUME instruction: `token create` and `--help` runs should not leave anonymous volumes.
ENV TOKENID_STATE_DIR=/var/lib/tokenid
WORKDIR /var/lib/tokenid
USER ${TOKENID_UID}:${TOKENID_UID}

# 9400: customer /metrics (Bearer auth). 9401: management (/metrics, /healthz, /readyz).
EXPOSE 9400 9401

# Heap at half the container's memory: RocksDB block cache and memtables live off-heap.
# No HEALTHCHECK here: the same image runs `token create` and the traffic generator, which have
# no management port; docker-compose.yml and the Kubernetes probes check /readyz and /healthz.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/tokenid/tokenid-metrics.jar"]
CMD ["run"]
