using RecipeCi.Recipes;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Two recipes that need each other's help, on busybox httpd + CGI: a small OIDC-style provider
/// (a login page, an authorize page per client, a token endpoint, and an admin endpoint that creates
/// a client with its id and secret, guarded by the provider's own generated admin password) and an
/// app that refuses to start without a client id and secret the provider accepts, whose login
/// sends the browser to the provider. Each setup script travels in base64, so no quoting of compose
/// or shell gets in the way.
/// </summary>
public static class OidcRecipes
{
    public const string Provider = "oidcidp";
    public const string App = "oidcapp";
    /// <summary>The provision hook's name in tests/&lt;app&gt;/.</summary>
    public const string Hook = "provision-idp";

    private const string ProviderSetup = """
        mkdir -p /www/cgi-bin /clients
        cat > /www/index.html <<'HTML'
        <!doctype html><title>Test IdP</title><h1>Test IdP</h1><p>Log in through an app.</p>
        HTML
        cat > /www/cgi-bin/authorize <<'CGI'
        #!/bin/sh
        client=$(echo "$QUERY_STRING" | sed -n 's/.*client_id=\([^&]*\).*/\1/p')
        if [ -z "$client" ] || [ ! -f "/clients/$client" ]; then printf 'Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nunknown client\n'; exit 0; fi
        printf 'Content-Type: text/html\r\n\r\n<!doctype html><title>Log in</title><h1 id="login">Log in to %s</h1><form method="post" action="/cgi-bin/login?%s"><input id="username" name="username"><input id="password" name="password" type="password"><button type="submit">Log in</button></form>\n' "$client" "$QUERY_STRING"
        CGI
        cat > /www/cgi-bin/login <<'CGI'
        #!/bin/sh
        body=$(head -c "${CONTENT_LENGTH:-0}")
        redirect=$(echo "$QUERY_STRING" | sed -n 's/.*redirect_uri=\([^&]*\).*/\1/p')
        case "$body" in
          username=alice\&password=wonderland*) printf 'Status: 303 See Other\r\nLocation: %s?code=ok\r\n\r\n' "$redirect" ;;
          *) printf 'Status: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nwrong user or password\n' ;;
        esac
        CGI
        cat > /www/cgi-bin/token <<'CGI'
        #!/bin/sh
        id=$(echo "$QUERY_STRING" | sed -n 's/.*client_id=\([^&]*\).*/\1/p')
        secret=$(echo "$QUERY_STRING" | sed -n 's/.*client_secret=\([^&]*\).*/\1/p')
        if [ -n "$id" ] && [ -f "/clients/$id" ] && [ "$(head -n1 "/clients/$id")" = "$secret" ]; then
          printf 'Content-Type: application/json\r\n\r\n{"access_token": "token-for-%s", "token_type": "Bearer"}\n' "$id"
        else
          printf 'Status: 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{"error": "invalid_client"}\n'
        fi
        CGI
        cat > /www/cgi-bin/clients <<'CGI'
        #!/bin/sh
        if [ "$REQUEST_METHOD" != POST ] || [ "$HTTP_AUTHORIZATION" != "Bearer $(cat /run/secrets/admin_password)" ]; then
          printf 'Status: 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\nadmin only\n'; exit 0
        fi
        redirect=$(echo "$QUERY_STRING" | sed -n 's/.*redirect_uri=\([^&]*\).*/\1/p')
        id="client-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
        secret=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
        printf '%s\n%s\n' "$secret" "$redirect" > "/clients/$id"
        printf 'Content-Type: text/plain\r\n\r\nclient_id=%s\nclient_secret=%s\n' "$id" "$secret"
        CGI
        chmod +x /www/cgi-bin/*
        httpd -p 80 -h /www
        trap 'exit 0' TERM INT
        while :; do sleep 1; done
        """;

    private const string AppSetup = """
        secret=$(cat /run/secrets/oidc_client_secret 2>/dev/null)
        if [ -z "$OIDC_CLIENT_ID" ] || [ -z "$secret" ]; then echo "no OIDC client id or secret: refusing to start" >&2; exit 1; fi
        if ! wget -q -O /tmp/token "http://$OIDC_PROVIDER/cgi-bin/token?client_id=$OIDC_CLIENT_ID&client_secret=$secret"; then
          echo "the provider at $OIDC_PROVIDER refused client $OIDC_CLIENT_ID: refusing to start" >&2; exit 1
        fi
        mkdir -p /www/cgi-bin
        echo '<!doctype html><title>OIDC app</title><h1>OIDC app</h1><a id="login" href="/cgi-bin/login">Log in with the IdP</a>' > /www/index.html
        printf '#!/bin/sh\nprintf "Status: 302 Found\\r\\nLocation: %s?client_id=%s&redirect_uri=https://%s/callback\\r\\n\\r\\n"\n' "$OIDC_LOGIN_URL" "$OIDC_CLIENT_ID" "$DOMAIN" > /www/cgi-bin/login
        chmod +x /www/cgi-bin/login
        httpd -p 80 -h /www
        trap 'exit 0' TERM INT
        while :; do sleep 1; done
        """;

    private const string ProviderSample = "TYPE=oidcidp\nDOMAIN=idp.example.com\nCOMPOSE_FILE=\"compose.yml\"\nSECRET_ADMIN_PASSWORD_VERSION=v1 # length=20\n";

    private static string ProviderCompose(string setup) => Compose(setup, environment: "", secrets: ("admin_password", "${SECRET_ADMIN_PASSWORD_VERSION}"), Version);

    private const string CannotStart = "echo 'the provider cannot start' >&2; exit 3";

    /// <summary>
    /// The provider: its release, then an unreleased commit that cannot start (a dependency goes out
    /// at its newest release, never an upstream head). <paramref name="broken"/>: the release cannot start either.
    /// </summary>
    public static RecipeHistory ProviderHistory(bool broken = false) => new([
        .. History(Version, ProviderCompose(broken ? CannotStart : ProviderSetup), ProviderSample).Commits,
        new HistoryCommit("feat: a provider that does not start yet", null,
            new Dictionary<string, string> { ["compose.yml"] = ProviderCompose(CannotStart), [".env.sample"] = ProviderSample, ["README.md"] = "# OIDC test recipe\n" }),
    ]);

    private const string AppSample = "TYPE=oidcapp\nDOMAIN=app.example.com\nCOMPOSE_FILE=\"compose.yml\"\nOIDC_CLIENT_ID=\nOIDC_PROVIDER=\nOIDC_LOGIN_URL=\n" +
        "SECRET_OIDC_CLIENT_SECRET_VERSION=v1 # generate=false\n";

    private static string AppCompose(string version, params string[] keys) => Compose(AppSetup,
        environment: "    environment:\n      - DOMAIN=${DOMAIN}\n" + string.Concat(keys.Select(key => $"      - {key}=${{{key}:?set by the provider's provision hook}}\n")),
        secrets: ("oidc_client_secret", "${SECRET_OIDC_CLIENT_SECRET_VERSION}"), version);

    /// <summary>The app's release; <paramref name="headAsksForScope"/>: then an unreleased head whose .env.sample and compose add OIDC_SCOPE.</summary>
    public static RecipeHistory AppHistory(bool headAsksForScope = false)
    {
        string[] keys = ["OIDC_CLIENT_ID", "OIDC_PROVIDER", "OIDC_LOGIN_URL"];
        var release = History(Version, AppCompose(Version, keys), AppSample);
        return !headAsksForScope ? release : new([.. release.Commits, new HistoryCommit("feat: ask the provider for a scope", null, new Dictionary<string, string>
        {
            ["compose.yml"] = AppCompose("1.1.0+2", [.. keys, "OIDC_SCOPE"]),
            [".env.sample"] = AppSample + "OIDC_SCOPE=\n",
            ["README.md"] = "# OIDC test recipe\n",
        })]);
    }

    /// <summary>The app's release and a newer one, as a sweep takes it: its newest release upgraded from the one before.</summary>
    public static RecipeHistory AppReleases()
    {
        string[] keys = ["OIDC_CLIENT_ID", "OIDC_PROVIDER", "OIDC_LOGIN_URL"];
        return new([.. History(Version, AppCompose(Version, keys), AppSample).Commits, .. History("1.1.0+2", AppCompose("1.1.0+2", keys), AppSample).Commits]);
    }

    /// <summary>
    /// The provider's provision hook for the app: reads the provider's admin password inside its
    /// container, creates a client whose redirect URI is the app's, and prints the app's env and secret.
    /// <paramref name="failWith"/>: the hook prints the secret, then fails with that exit code.
    /// <paramref name="chatty"/>: it also prints a line for a human on standard output, which is bad input.
    /// </summary>
    public static string ProvisionHook(int? failWith = null, bool chatty = false) => $$"""
        #!/bin/sh
        set -e
        # Asked again for a head's new keys: only those, the client stays as it is.
        if [ -n "$RECIPE_CI_NEW_KEYS" ]; then
          case " $RECIPE_CI_NEW_KEYS " in *" OIDC_SCOPE "*) echo "OIDC_SCOPE=openid" ;; esac
          exit 0
        fi
        [ -n "$RECIPE_CI_SECRET_ADMIN_PASSWORD" ] || { echo "no RECIPE_CI_SECRET_ADMIN_PASSWORD" >&2; exit 1; }
        c=$(docker ps -q --filter "label=com.docker.swarm.service.name=${RECIPE_CI_STACK}_app" | head -n1)
        [ -n "$c" ] || { echo "no running container of ${RECIPE_CI_STACK}_app" >&2; exit 1; }
        password=$(docker exec "$c" cat /run/secrets/admin_password)
        out=$(docker exec -e REQUEST_METHOD=POST -e "QUERY_STRING=redirect_uri=https://${RECIPE_CI_APP_DOMAIN}/callback" \
          -e "HTTP_AUTHORIZATION=Bearer $password" "$c" /www/cgi-bin/clients | tr -d '\r')
        id=$(printf '%s\n' "$out" | sed -n 's/^client_id=//p')
        secret=$(printf '%s\n' "$out" | sed -n 's/^client_secret=//p')
        [ -n "$id" ] && [ -n "$secret" ] || { echo "the provider created no client: $out" >&2; exit 1; }
        echo "created client $id for ${RECIPE_CI_APP_DOMAIN}" {{(chatty ? "" : ">&2")}}
        echo "OIDC_CLIENT_ID=$id"
        echo "OIDC_PROVIDER=${RECIPE_CI_STACK}_app"
        echo "OIDC_LOGIN_URL=https://${RECIPE_CI_DOMAIN}/cgi-bin/authorize"
        echo "secret oidc_client_secret $secret"
        {{(failWith is { } code ? $"echo \"the realm could not be saved (client secret $secret)\" >&2\nexit {code}" : "")}}
        """;

    private static RecipeHistory History(string version, string compose, string sample) => new([new HistoryCommit(
        $"chore: publish {version} release", version, new Dictionary<string, string>
        {
            ["compose.yml"] = compose,
            [".env.sample"] = sample,
            ["README.md"] = "# OIDC test recipe\n",
        })]);

    private const string Version = "1.0.0+1";

    private static string Compose(string setup, string environment, (string Name, string Version) secrets, string version)
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(setup));
        return $$"""
            version: "3.8"
            services:
              app:
                image: recipe-ci/busybox:1
                command: ["sh", "-c", "echo {{encoded}} | base64 -d > /setup.sh && exec sh /setup.sh"]
            {{environment}}
                networks: [proxy, internal]
                secrets: [{{secrets.Name}}]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"]
                  interval: 1s
                  timeout: 2s
                  retries: 3
                  start_period: 20s
                deploy:
                  # Names resolve to the task itself: this host's swarm does not route service VIPs across the proxy network.
                  endpoint_mode: dnsrr
                  restart_policy: {condition: any, delay: 1s}
                  update_config: {failure_action: rollback, order: start-first, monitor: 3s}
                  labels:
                    - "coop-cloud.${STACK_NAME}.version={{version}}"
            networks:
              proxy:
                external: true
              internal:
            secrets:
              {{secrets.Name}}:
                external: true
                name: ${STACK_NAME}_{{secrets.Name}}_{{secrets.Version}}
            """;
    }
}
