# One image per service: docker build --build-arg SERVICE=capture-service -t ingest/capture-service .
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests package \
 && mvn -B -ntp -q -pl clickhouse-schema dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/src/migrate \
 && cp clickhouse-schema/target/clickhouse-schema-*.jar /src/migrate/

FROM eclipse-temurin:21-jre
ARG SERVICE
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
# The ClickHouse migration CLI rides along in every image (used by the compose file's init job).
COPY --from=build /src/migrate /app/migrate
# An OutOfMemoryError ends the JVM (the restart policy starts it again) after a heap dump for the post-mortem.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -Duser.timezone=UTC -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp"
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
