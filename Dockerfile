# The service's image: built from the sources (Maven Central is the only thing the build fetches).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -DskipTests package -pl api -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 1001 seatledger && mkdir /data && chown seatledger /data
USER seatledger
COPY --from=build /src/api/target/seat-ledger-exec.jar /app/seat-ledger.jar
ENV SEATLEDGER_DATA_DIR=/data
# The measured footprint (docs/benchmarks.md): under load the service stays below 512 MB resident with a 192 MB
# heap (its live set is ~65 MB, ~115 MB while a 100,000-seat pool is in use), the parallel collector (no G1
# remembered sets; its stop-the-world collections use both cores, where the serial one left one idle: a 100,000-seat
# onboarding 25-30 s instead of 31-33 s), two malloc arenas, and the native heap trimmed every second (what the
# compilers and threads freed goes back to the system: ~20-35 MB less resident after a load). JAVA_OPTS replaces
# them, e.g. a larger heap for several very large pools in use at once.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_OPTS="-Xmx192m -Xss512k -XX:+UseParallelGC -XX:TrimNativeHeapInterval=1000"
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/seat-ledger.jar"]
