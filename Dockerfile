# InstantChat.Web: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as the non-root
# `app` user, listening on 8080, with the embedded SQLite store in the /data volume.
#
#   docker build -t instantchat .
#   docker run -p 8080:8080 -e META_VERIFY_TOKEN=... -e INSTAGRAM_APP_SECRET=... -v instantchat-data:/data instantchat
#
# The .NET 10 default tags (sdk:10.0, aspnet:10.0) are Ubuntu 24.04 "noble" images.

# ---- build ---------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore with only the build settings and project files present, so this layer (the package
# download) is reused until one of them changes. Only the Web project (and, through it, Core) is
# restored: the test project is not part of the image, and restoring it would download test-only
# packages.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY InstantChat.Core/InstantChat.Core.csproj InstantChat.Core/
COPY InstantChat.Web/InstantChat.Web.csproj InstantChat.Web/
RUN dotnet restore InstantChat.Web/InstantChat.Web.csproj

# Everything else (.dockerignore keeps bin/, obj/, data/, .git, … out, so the restore output in
# obj/ above is not overwritten by a host's obj/).
COPY . .
RUN dotnet publish InstantChat.Web/InstantChat.Web.csproj -c Release -o /app --no-restore

# ---- runtime -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime

# curl, only for the HEALTHCHECK below. The aspnet images ship no HTTP client (no curl, no wget;
# dotnet/dotnet-docker#2379, #4300), and Microsoft's own aspnetapp sample Dockerfiles probe
# /healthz with curl (nanoserver) or wget (alpine). Installing curl from the distro is the plain,
# documented-by-example route; it runs as root here, before USER, and leaves no apt lists behind.
# (Alternative without a package: a bash /dev/tcp probe, which is harder to read and to get right.)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# The SQLite store (DATA_DIR) lives in /data, owned by the image's built-in non-root `app` user
# (UID/GID 1654, exposed as $APP_UID). Created and chowned before VOLUME so that a new named
# volume mounted there starts with this ownership.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data

WORKDIR /app
# Application files stay owned by root: the app user can read them but not change them.
COPY --from=build /app .

# ASP.NET Core URL convention (SPEC "Running"). The image also sets ASPNETCORE_HTTP_PORTS=8080;
# ASPNETCORE_URLS takes precedence (Kestrel logs that it overrides HTTP_PORTS) and names the same port.
ENV ASPNETCORE_URLS=http://+:8080 \
    DATA_DIR=/data
VOLUME /data
EXPOSE 8080

# Non-root, as Microsoft recommends for the .NET 8+ images.
USER $APP_UID

# /healthz is public liveness (no store check; /readyz is the readiness probe).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --show-error --output /dev/null http://localhost:8080/healthz || exit 1

ENTRYPOINT ["dotnet", "InstantChat.Web.dll"]
