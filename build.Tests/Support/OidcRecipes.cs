using RecipeCi.Recipes;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Two recipes that need each other's help, on busybox httpd + CGI: a small OIDC-style provider
/// (a login page per client, an authorization code flow and a token endpoint, and admin endpoints
/// that create a client and a user, guarded by the provider's own generated admin password) and an
/// app that refuses to start without a client id and secret the provider accepts, whose login sends
/// the browser to the provider's authorize URL on the provider's domain and whose callback exchanges
/// the code at the provider's token endpoint, server side, by the provider's service name. Both are
/// routed by abra's traefik labels. Each setup script travels in base64, so no quoting of compose or
/// shell gets in the way.
/// </summary>
public static class OidcRecipes
{
    public const string Provider = "oidcidp";
    public const string App = "oidcapp";
    /// <summary>The provision hook's name in tests/&lt;app&gt;/.</summary>
    public const string Hook = "provision-idp";

    private const string ProviderSetup = """
        mkdir -p /www/cgi-bin /clients /users /codes
        cat > /oidc.sh <<'SH'
        param() { printf '%s\n' "$2" | sed -n "s/^\(.*&\)\{0,1\}$1=\([^&]*\).*/\2/p"; }
        valid() { case "$1" in ''|*[!a-z0-9-]*) return 1;; esac; }
        rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
        deny() { printf 'Status: %s\r\nContent-Type: text/plain\r\n\r\n%s\n' "$1" "$2"; exit 0; }
        admin() { [ "$REQUEST_METHOD" = POST ] && [ "$HTTP_AUTHORIZATION" = "Bearer $(cat /run/secrets/admin_password)" ] || deny "401 Unauthorized" "admin only"; }
        # The client is known and the redirect URI is the one registered for it.
        registered() { valid "$1" && [ -f "/clients/$1" ] && [ "$(sed -n 2p "/clients/$1")" = "$2" ]; }
        SH
        cat > /www/index.html <<'HTML'
        <!doctype html><title>Test IdP</title><h1>Test IdP</h1><p>Log in through an app.</p>
        HTML
        cat > /www/cgi-bin/authorize <<'CGI'
        #!/bin/sh
        . /oidc.sh
        client=$(param client_id "$QUERY_STRING")
        registered "$client" "$(param redirect_uri "$QUERY_STRING")" || deny "400 Bad Request" "unknown client or redirect_uri not registered for it"
        printf 'Content-Type: text/html\r\n\r\n<!doctype html><title>Log in</title><h1 id="login">Log in to %s</h1><form method="post" action="/cgi-bin/login?%s"><input id="username" name="username"><input id="password" name="password" type="password"><button type="submit">Log in</button></form>\n' "$client" "$QUERY_STRING"
        CGI
        cat > /www/cgi-bin/login <<'CGI'
        #!/bin/sh
        . /oidc.sh
        body=$(head -c "${CONTENT_LENGTH:-0}")
        client=$(param client_id "$QUERY_STRING")
        redirect=$(param redirect_uri "$QUERY_STRING")
        user=$(param username "$body")
        registered "$client" "$redirect" || deny "400 Bad Request" "unknown client or redirect_uri not registered for it"
        valid "$user" && [ -f "/users/$user" ] && [ "$(cat "/users/$user")" = "$(param password "$body")" ] || deny "403 Forbidden" "wrong user or password"
        code=$(rand 8)
        printf '%s\n%s\n' "$client" "$user" > "/codes/$code"
        printf 'Status: 303 See Other\r\nLocation: %s?code=%s\r\n\r\n' "$redirect" "$code"
        CGI
        cat > /www/cgi-bin/token <<'CGI'
        #!/bin/sh
        . /oidc.sh
        id=$(param client_id "$QUERY_STRING")
        code=$(param code "$QUERY_STRING")
        json() { printf 'Status: %s\r\nContent-Type: application/json\r\n\r\n%s\n' "$1" "$2"; exit 0; }
        valid "$id" && [ -f "/clients/$id" ] && [ "$(head -n1 "/clients/$id")" = "$(param client_secret "$QUERY_STRING")" ] || json "401 Unauthorized" '{"error": "invalid_client"}'
        # Without a code: the client's own credentials, which the app checks as it starts.
        [ -n "$code" ] || json "200 OK" "{\"access_token\": \"token-for-$id\", \"token_type\": \"Bearer\"}"
        valid "$code" && [ -f "/codes/$code" ] && [ "$(head -n1 "/codes/$code")" = "$id" ] || json "400 Bad Request" '{"error": "invalid_grant"}'
        user=$(sed -n 2p "/codes/$code")
        rm -f "/codes/$code"
        json "200 OK" "{\"access_token\": \"token-for-$user\", \"token_type\": \"Bearer\", \"user\": \"$user\"}"
        CGI
        cat > /www/cgi-bin/clients <<'CGI'
        #!/bin/sh
        . /oidc.sh
        admin
        id="client-$(rand 4)"
        secret=$(rand 18)
        printf '%s\n%s\n' "$secret" "$(param redirect_uri "$QUERY_STRING")" > "/clients/$id"
        printf 'Content-Type: text/plain\r\n\r\nclient_id=%s\nclient_secret=%s\n' "$id" "$secret"
        CGI
        cat > /www/cgi-bin/users <<'CGI'
        #!/bin/sh
        . /oidc.sh
        admin
        user=$(param username "$QUERY_STRING")
        password=$(param password "$QUERY_STRING")
        valid "$user" && [ -n "$password" ] || deny "400 Bad Request" "a username and a password, please"
        printf '%s' "$password" > "/users/$user"
        printf 'Content-Type: text/plain\r\n\r\ncreated user %s\n' "$user"
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
        # What the CGI scripts read: the browser goes to the login URL (the provider's domain), this server to the provider's service.
        cat > /oidc.env <<EOF
        client_id='$OIDC_CLIENT_ID'
        provider='$OIDC_PROVIDER'
        login_url='$OIDC_LOGIN_URL'
        callback='https://$DOMAIN/cgi-bin/callback'
        EOF
        echo '<!doctype html><title>OIDC app</title><h1>OIDC app</h1><a id="login" href="/cgi-bin/login">Log in with the IdP</a>' > /www/index.html
        cat > /www/cgi-bin/login <<'CGI'
        #!/bin/sh
        . /oidc.env
        printf 'Status: 302 Found\r\nLocation: %s?client_id=%s&redirect_uri=%s\r\n\r\n' "$login_url" "$client_id" "$callback"
        CGI
        cat > /www/cgi-bin/callback <<'CGI'
        #!/bin/sh
        . /oidc.env
        code=$(printf '%s\n' "$QUERY_STRING" | sed -n 's/^\(.*&\)\{0,1\}code=\([^&]*\).*/\2/p')
        # The code is exchanged server side, with the client's secret, at the provider's token endpoint.
        user=$(wget -q -O - "http://$provider/cgi-bin/token?client_id=$client_id&client_secret=$(cat /run/secrets/oidc_client_secret)&code=$code" | sed -n 's/.*"user": "\([^"]*\)".*/\1/p')
        if [ -n "$user" ]; then
          printf 'Content-Type: text/html\r\n\r\n<!doctype html><title>OIDC app</title><h1 id="welcome">Logged in as %s</h1>\n' "$user"
        else
          printf 'Status: 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\nthe provider did not accept the code\n'
        fi
        CGI
        chmod +x /www/cgi-bin/*
        httpd -p 80 -h /www
        trap 'exit 0' TERM INT
        while :; do sleep 1; done
        """;

    private const string ProviderSample = "TYPE=oidcidp\nDOMAIN=idp.example.com\nCOMPOSE_FILE=\"compose.yml\"\nSECRET_ADMIN_PASSWORD_VERSION=v1 # length=20\n";

    private static string ProviderCompose(string setup) => Compose(setup, environment: "", secrets: ["admin_password"], Version);

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

    /// <summary>The app's env: the client's only (a test user's password is the browser check's, never the app's).</summary>
    private const string AppSample = "TYPE=oidcapp\nDOMAIN=app.example.com\nCOMPOSE_FILE=\"compose.yml\"\nOIDC_CLIENT_ID=\nOIDC_PROVIDER=\nOIDC_LOGIN_URL=\n" +
        "SECRET_OIDC_CLIENT_SECRET_VERSION=v1 # generate=false\n";

    private static string AppCompose(string version, params string[] keys) => Compose(AppSetup,
        environment: "    environment:\n      - DOMAIN=${DOMAIN}\n" + string.Concat(keys.Select(key => $"      - {key}=${{{key}:?set by the provider's provision hook}}\n")),
        secrets: ["oidc_client_secret"], version);

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
    /// container, creates a client whose redirect URI is the app's callback and a test user, and prints
    /// the app's env and secret, and the user's password as a value only the checks need (the browser
    /// check types it, redacted; the app never sees it).
    /// <paramref name="failWith"/>: the hook prints the secret, then fails with that exit code.
    /// <paramref name="chatty"/>: it also prints a line for a human on standard output, which is bad input.
    /// <paramref name="saysAdminPassword"/>: a careless hook, it says the provider's admin password on stderr, which the run keeps.
    /// </summary>
    public static string ProvisionHook(int? failWith = null, bool chatty = false, bool saysAdminPassword = false) => $$"""
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
        {{(saysAdminPassword ? "echo \"using the admin password $password\" >&2" : "")}}
        admin() { docker exec -e REQUEST_METHOD=POST -e "QUERY_STRING=$2" -e "HTTP_AUTHORIZATION=Bearer $password" "$c" "/www/cgi-bin/$1" | tr -d '\r'; }
        out=$(admin clients "redirect_uri=https://${RECIPE_CI_APP_DOMAIN}/cgi-bin/callback")
        id=$(printf '%s\n' "$out" | sed -n 's/^client_id=//p')
        secret=$(printf '%s\n' "$out" | sed -n 's/^client_secret=//p')
        [ -n "$id" ] && [ -n "$secret" ] || { echo "the provider created no client: $out" >&2; exit 1; }
        user="tester-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
        userpw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
        admin users "username=$user&password=$userpw" | grep -q "^created user $user" || { echo "the provider created no user $user" >&2; exit 1; }
        echo "created client $id for ${RECIPE_CI_APP_DOMAIN}" {{(chatty ? "" : ">&2")}}
        echo "OIDC_CLIENT_ID=$id"
        echo "OIDC_PROVIDER=${RECIPE_CI_STACK}_app"
        echo "OIDC_LOGIN_URL=https://${RECIPE_CI_DOMAIN}/cgi-bin/authorize"
        echo "secret oidc_client_secret $secret"
        echo "OIDC_TEST_USER=$user"
        echo "check oidc_test_password $userpw"
        {{(failWith is { } code ? $"echo \"the realm could not be saved (client secret $secret)\" >&2\nexit {code}" : "")}}
        """;

    /// <summary>
    /// The app's tests/&lt;app&gt;/checks.yaml: a browser logs in through the provider, end to end (the
    /// app's login, the provider's login page on its own domain, the callback with a code the app
    /// exchanges) and keeps a screenshot. <paramref name="alsoWithWrongPassword"/>: a second check
    /// types a password the provider refuses.
    /// </summary>
    public static string Checks(bool alsoWithWrongPassword = false) =>
        "checks:\n" + LoginCheck("logs in through the provider", "check:oidc_test_password", timeout: 10) +
        (alsoWithWrongPassword ? LoginCheck("logs in with a wrong password", "not-the-password", timeout: 3) : "");

    /// <param name="timeout">Seconds a step may take: the refused login waits that long for a callback that never comes.</param>
    private static string LoginCheck(string name, string password, int timeout) => $$"""
          - name: {{name}}
            browser:
              timeout: {{timeout}}
              steps:
                - goto: /
                - click: "#login"
                - expect_url: /cgi-bin/authorize
                - expect_text: {text: "Log in to client-", selector: h1}
                - fill: {selector: "#username", value: "env:OIDC_TEST_USER"}
                - fill: {selector: "#password", value: "{{password}}"}
                - click: "button[type=submit]"
                - expect_url: /cgi-bin/callback
                - expect_text: {text: "Logged in as tester-", selector: h1}
                - screenshot: logged-in

        """;

    private static RecipeHistory History(string version, string compose, string sample) => new([new HistoryCommit(
        $"chore: publish {version} release", version, new Dictionary<string, string>
        {
            ["compose.yml"] = compose,
            [".env.sample"] = sample,
            ["README.md"] = "# OIDC test recipe\n",
        })]);

    private const string Version = "1.0.0+1";

    /// <summary>The service, routed by abra's traefik labels on the proxy network (a scenario that has no use for them says routing: none).</summary>
    private static string Compose(string setup, string environment, string[] secrets, string version)
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
                secrets: [{{string.Join(", ", secrets)}}]
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
                    - "traefik.enable=true"
                    - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"
                    - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"
                    - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"
            networks:
              proxy:
                external: true
              internal:
            secrets:
            {{string.Concat(secrets.Select(name => $"  {name}:\n    external: true\n    name: ${{STACK_NAME}}_{name}_${{SECRET_{name.ToUpperInvariant()}_VERSION}}\n"))}}
            """;
    }
}
