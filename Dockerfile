# The service's image: built from the sources (Maven Central is the only thing the build fetches), in layers that
# change at different rates, so a source change rebuilds only the last ones.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first: this layer depends on the poms only, so a source change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY messages/pom.xml messages/
COPY client/pom.xml client/
COPY read-model/pom.xml read-model/
COPY command-side/pom.xml command-side/
COPY audit-format/pom.xml audit-format/
COPY cli/pom.xml cli/
COPY projections/pom.xml projections/
COPY query-side/pom.xml query-side/
COPY billing/pom.xml billing/
COPY api/pom.xml api/
COPY bench/pom.xml bench/
COPY openapi-client-check/pom.xml openapi-client-check/
RUN ./mvnw -B -q -pl api -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline -DexcludeGroupIds=io.seatledger
COPY . .
# No class-data training run (api/pom.xml): its archive records the build stage's paths, and the image runs its own
# layered layout from /app.
RUN ./mvnw -B -DskipTests -Dseatledger.cds.skip=true package -pl api -am \
 && java -Djarmode=tools -jar api/target/seat-ledger-exec.jar extract --layers --destination /extracted

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 1001 seatledger && mkdir /data && chown seatledger /data
USER seatledger
WORKDIR /app
# Spring Boot's layers, the least often changed first: released libraries, the loader, snapshots, our own code.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
COPY ops/docker/readiness.sh /app/readiness.sh
ENV SEATLEDGER_DATA_DIR=/data
# The measured footprint (docs/benchmarks.md): under load the service stays near 512 MB resident with a 256 MB
# heap (its live set is ~65 MB, ~130 MB while a 100,000-seat pool is in use; 192 MB ran out of memory there), the parallel collector (no G1
# remembered sets; its stop-the-world collections use both cores, where the serial one left one idle: a 100,000-seat
# onboarding 25-30 s instead of 31-33 s), two malloc arenas, and the native heap trimmed every second (what the
# compilers and threads freed goes back to the system: ~20-35 MB less resident after a load). JAVA_OPTS replaces
# them, e.g. a larger heap for several very large pools in use at once.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_OPTS="-Xmx256m -Xss512k -XX:+UseParallelGC -XX:TrimNativeHeapInterval=1000"
EXPOSE 8080
# Healthy once the readiness probe answers 200 (migrations done, stores reachable); the first minutes are start-up.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["bash", "/app/readiness.sh"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/application.jar"]
