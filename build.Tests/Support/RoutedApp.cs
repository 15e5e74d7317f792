using RecipeCi.Machine;
using RecipeCi.Routing;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Web services on the <c>proxy</c> network with the traefik labels an abra recipe writes, for
/// <see cref="ScratchStack"/>, and the helper the routing probe and the browser reach them from.
/// </summary>
public static class RoutedApp
{
    public const string Resolver = "production";

    /// <summary>The labels of a recipe routing <paramref name="host"/> to <paramref name="port"/> through a router named after the service.</summary>
    public static Dictionary<string, string> Labels(string router, string host, int port) => new()
    {
        ["traefik.enable"] = "true",
        [$"traefik.http.services.{router}.loadbalancer.server.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"traefik.http.routers.{router}.rule"] = $"Host(`{host}`)",
        [$"traefik.http.routers.{router}.entrypoints"] = RoutingExpectation.AbraEntryPoint,
        [$"traefik.http.routers.{router}.tls.certresolver"] = Resolver,
    };

    /// <summary>busybox httpd serving <paramref name="www"/>'s files (and cgi-bin/) on port 8080, ready once it answers.</summary>
    public static ScratchService HttpdOn8080(string name, IReadOnlyDictionary<string, string> labels, string setup = "mkdir -p /www && echo hello > /www/index.html") =>
        new(name)
        {
            Script = $"{setup}; exec httpd -f -p 8080 -h /www",
            Check = "wget -q -O /dev/null http://127.0.0.1:8080/",
            Labels = labels,
            Networks = [LocalSwarmBootstrap.ProxyNetwork],
        };

    /// <summary>
    /// A login page on busybox httpd: / has a password form posting to /cgi-bin/login, which for
    /// <paramref name="password"/> sets a Secure session cookie (the app believes it is behind
    /// traefik's https) and sends the browser to /cgi-bin/admin, which shows "Welcome, admin" only
    /// with that cookie; a wrong password answers 403.
    /// </summary>
    public static ScratchService LoginOn8080(string name, IReadOnlyDictionary<string, string> labels, string password) =>
        HttpdOn8080(name, labels, $"echo '{password}' > /etc/admin_password && {LoginSetup("/etc/admin_password")}");

    /// <summary>
    /// A shell command that writes the login page's files under /www, the password read from
    /// <paramref name="passwordFile"/> (a file, or a swarm secret's /run/secrets/NAME). The files are
    /// written by a script passed in base64, so no quoting of compose or shell gets in the way.
    /// </summary>
    /// <param name="formAction">Where the form posts: anything but /cgi-bin/login is a broken form.</param>
    public static string LoginSetup(string passwordFile, string formAction = "/cgi-bin/login")
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

    public static ProxyHelper Helper(ScratchStack stack) =>
        ProxyHelper.For(stack.Docker, ProxyHelper.NameFor(stack.Name), LocalSwarmBootstrap.ProxyNetwork, LocalSwarmBootstrap.BaseImage);

    /// <summary>Waits until a task of the service runs (healthy, when it has a check).</summary>
    public static Task<ServiceInfo> RunningAsync(ScratchStack stack, string service) =>
        stack.UntilAsync(service, (_, tasks) => tasks.Any(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running }));
}
