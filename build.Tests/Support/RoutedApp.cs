using RecipeCi.Machine;
using RecipeCi.Recipes;
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
        HttpdOn8080(name, labels, $"echo '{password}' > /etc/admin_password && {TestLoginPage.Setup("/etc/admin_password")}");

    public static ProxyHelper Helper(ScratchStack stack) =>
        ProxyHelper.For(stack.Docker, ProxyHelper.NameFor(stack.Name), LocalSwarmBootstrap.ProxyNetwork, LocalSwarmBootstrap.BaseImage);

    /// <summary>Waits until a task of the service runs (healthy, when it has a check).</summary>
    public static Task<ServiceInfo> RunningAsync(ScratchStack stack, string service) =>
        stack.UntilAsync(service, (_, tasks) => tasks.Any(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running }));
}
