namespace RecipeCi.Routing;

/// <summary>One deployed label, and where the recipe wrote it when that is known (<c>compose.yml:12</c>).</summary>
public sealed record LabelRef(string Key, string Value, string? Origin)
{
    public override string ToString() => $"{Key}={Value}" + (Origin is null ? "" : $" ({Origin})");
}

/// <summary>A router: <c>traefik.http.routers.&lt;name&gt;.*</c>.</summary>
public sealed record TraefikRouter(string Name, LabelRef? Rule, LabelRef? EntryPoints, LabelRef? CertResolver, LabelRef? Middlewares, LabelRef? Service)
{
    /// <summary>The middlewares it names, in order, as written (<c>name</c> or <c>name@provider</c>).</summary>
    public IReadOnlyList<string> MiddlewareNames => Split(Middlewares);

    public IReadOnlyList<string> EntryPointNames => Split(EntryPoints);

    private static List<string> Split(LabelRef? label) =>
        label?.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];
}

/// <summary>A load-balanced service: <c>traefik.http.services.&lt;name&gt;.loadbalancer.server.port</c>.</summary>
public sealed record TraefikService(string Name, LabelRef? Port);

/// <summary>
/// A middleware: <c>traefik.http.middlewares.&lt;name&gt;.&lt;kind&gt;.*</c>. Only <c>stripprefix</c> is
/// followed (its <c>prefixes</c>); every other kind is reported as not followed.
/// </summary>
public sealed record TraefikMiddleware(string Name, string Kind, LabelRef Label, IReadOnlyList<string> StripPrefixes)
{
    public const string StripPrefix = "stripprefix";
    public bool Followed => Kind == StripPrefix;
}

/// <summary>
/// The traefik labels of one swarm service as swarm holds them (after interpolation), typed. Traefik
/// reads label keys case-insensitively, so property words are compared in lower case; names are kept.
/// </summary>
public sealed record ServiceTraefik(
    string Service, LabelRef? Enable, IReadOnlyList<TraefikRouter> Routers, IReadOnlyList<TraefikService> Services, IReadOnlyList<TraefikMiddleware> Middlewares)
{
    private const string Prefix = "traefik.";

    /// <summary><c>traefik.enable=true</c>: abra's traefik exposes no container by default.</summary>
    public bool Enabled => string.Equals(Enable?.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Any router, service or middleware label: what traefik would read once enabled.</summary>
    public bool HasHttpLabels => Routers.Count + Services.Count + Middlewares.Count > 0;

    /// <param name="origins">Where each label was written (<c>file:line</c>), by key, when known.</param>
    public static ServiceTraefik Read(string service, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string>? origins = null)
    {
        var refs = labels.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new LabelRef(kv.Key, kv.Value, origins?.GetValueOrDefault(kv.Key))).ToList();

        // traefik.http.<section>.<name>.<property...>, split once so each section groups by name.
        var http = refs.Select(r => (Label: r, Parts: r.Key.Split('.'))).Where(x => x.Parts.Length >= 5 && x.Parts[1].Equals("http", StringComparison.OrdinalIgnoreCase))
            .Select(x => (x.Label, Section: x.Parts[2].ToLowerInvariant(), Name: x.Parts[3], Property: string.Join('.', x.Parts[4..]).ToLowerInvariant())).ToList();
        IEnumerable<IGrouping<string, (LabelRef Label, string Section, string Name, string Property)>> Section(string section) =>
            http.Where(x => x.Section == section).GroupBy(x => x.Name, StringComparer.Ordinal);
        LabelRef? Property(IEnumerable<(LabelRef Label, string Section, string Name, string Property)> group, string property) =>
            group.FirstOrDefault(x => x.Property == property).Label;

        var routers = Section("routers").Select(g => new TraefikRouter(g.Key, Property(g, "rule"), Property(g, "entrypoints"),
            Property(g, "tls.certresolver"), Property(g, "middlewares"), Property(g, "service"))).ToList();
        var services = Section("services").Select(g => new TraefikService(g.Key, Property(g, "loadbalancer.server.port"))).ToList();
        var middlewares = Section("middlewares").Select(g =>
        {
            var kind = g.First().Property.Split('.')[0];
            var prefixes = Property(g, $"{TraefikMiddleware.StripPrefix}.prefixes")?.Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            return new TraefikMiddleware(g.Key, kind, g.First().Label, prefixes);
        }).ToList();
        return new ServiceTraefik(service, refs.FirstOrDefault(r => r.Key.Equals("traefik.enable", StringComparison.OrdinalIgnoreCase)),
            routers, services, middlewares);
    }
}
