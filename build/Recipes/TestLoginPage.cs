namespace RecipeCi.Recipes;

/// <summary>
/// The login page of test recipes and scenario apps, for busybox httpd: a password form, a login
/// handler that sets a session cookie when the password matches, and a page shown only with it.
/// </summary>
public static class TestLoginPage
{
    /// <summary>
    /// A shell command that writes the login page's files under /www, the password read from
    /// <paramref name="passwordFile"/> (a file, or a swarm secret's /run/secrets/NAME). The files are
    /// written by a script passed in base64, so no quoting of compose or shell gets in the way.
    /// </summary>
    /// <param name="formAction">Where the form posts: anything but /cgi-bin/login is a broken form.</param>
    public static string Setup(string passwordFile, string formAction = "/cgi-bin/login")
    {
        var setup = $$"""
            mkdir -p /www/cgi-bin
            cat > /www/index.html <<'HTML'
            <!doctype html><html><head><title>Hello</title></head>
            <body style="font-family: sans-serif; margin: 3em"><h1>Hello</h1>
            <form method="post" action="{{formAction}}">
            <label>Admin password <input id="password" name="password" type="password"></label>
            <button type="submit">Log in</button></form></body></html>
            HTML
            cat > /www/cgi-bin/login <<'CGI'
            #!/bin/sh
            body=$(head -c "${CONTENT_LENGTH:-0}")
            password=${body#password=}; password=${password%%&*}
            if [ "$password" = "$(cat {{passwordFile}})" ]; then
              printf 'Status: 303 See Other\r\nSet-Cookie: session=admin; Secure; HttpOnly; Path=/\r\nLocation: /cgi-bin/admin\r\n\r\n'
            else
              printf 'Status: 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<!doctype html><title>Denied</title><h1>Wrong password</h1>\n'
            fi
            CGI
            cat > /www/cgi-bin/admin <<'CGI'
            #!/bin/sh
            case "$HTTP_COOKIE" in
              *session=admin*) printf 'Content-Type: text/html\r\n\r\n<!doctype html><title>Welcome</title><body style="font-family: sans-serif; margin: 3em"><h1 id="welcome">Welcome, admin</h1><p>This page shows only after logging in.</p></body>\n' ;;
              *) printf 'Status: 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<!doctype html><title>Denied</title><h1>Log in first</h1>\n' ;;
            esac
            CGI
            chmod +x /www/cgi-bin/login /www/cgi-bin/admin
            """;
        return $"echo {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(setup))} | base64 -d > /setup.sh && sh /setup.sh";
    }
}
