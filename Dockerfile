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
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/seat-ledger.jar"]
