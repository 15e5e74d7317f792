namespace RecipeCi.Lint;

/// <summary>An image reference, <c>[registry/]repository[:tag][@digest]</c>.</summary>
public sealed record ImageReference(string Repository, string Tag, string Digest)
{
    /// <summary>The last path segment of the repository: <c>postgres</c> for <c>docker.io/library/postgres</c>.</summary>
    public string BaseName => Repository[(Repository.LastIndexOf('/') + 1)..];

    public bool IsPinned => Digest.Length > 0 || (Tag.Length > 0 && Tag != "latest");

    public static ImageReference Parse(string image)
    {
        var at = image.IndexOf('@');
        var digest = at < 0 ? "" : image[(at + 1)..];
        var name = at < 0 ? image : image[..at];
        // A ':' after the last '/' starts the tag; one before it belongs to a registry port.
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? new(name[..colon], name[(colon + 1)..], digest) : new(name, "", digest);
    }
}
