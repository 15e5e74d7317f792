using System.Net;

namespace RecipeCi.Reports;

/// <summary>
/// The shell of every page the harness writes: one self-contained file (styles inline, no
/// scripts, nothing fetched), the palette's classes first, then the page's own styles.
/// </summary>
public static class HtmlPage
{
    /// <summary>
    /// The styles of a page of facts and small tables (the run page, the index); the sweep page has
    /// denser ones of its own. On a phone a table's rows wrap their cells, so that nothing scrolls sideways.
    /// </summary>
    public const string DocumentCss =
        "body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1200px}table{border-collapse:collapse;margin:.5em 0}" +
        "td,th{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}" +
        PhoneCss;

    /// <summary>At a phone's width: less margin, and each table row a wrapping line of cells.</summary>
    public const string PhoneCss =
        "@media (max-width:600px){body{margin:.6em}table,tbody{display:block;width:100%}colgroup{display:none}tr{display:flex;flex-wrap:wrap}td,th{flex:1 1 auto;overflow-wrap:anywhere}}";

    /// <summary>Text as HTML shows it, in an element or an attribute; nothing (null) shows as nothing.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <param name="body">The page's markup, already encoded.</param>
    public static string Render(string title, string css, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        $"<title>{Encode(title)}</title><style>{Palette.Css}{css}</style></head><body>\n{body}</body></html>\n";
}
