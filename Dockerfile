# Caravan image.
#   docker build -t caravan .
#   docker run --rm caravan run mappings/quickstart.yaml

# --- build ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
COPY kamelets ./kamelets
RUN mvn -B -q package -DskipTests

# --- run ---
FROM eclipse-temurin:17-jre
# PostgreSQL (the embedded servers of `url: embedded`) refuses to run as root.
RUN useradd --system --uid 10001 --user-group --home-dir /work --no-create-home caravan \
 && mkdir -p /work && chown caravan:caravan /work
COPY --from=build /src/target/caravan.jar /opt/caravan/caravan.jar
COPY --from=build /src/target/lib/ /opt/caravan/lib/
COPY --chown=caravan:caravan routes/ /work/routes/
COPY --chown=caravan:caravan mappings/ /work/mappings/
COPY --chown=caravan:caravan kamelets/ /work/kamelets/
USER caravan
WORKDIR /work
ENTRYPOINT ["java", "-jar", "/opt/caravan/caravan.jar"]
CMD ["--help"]
