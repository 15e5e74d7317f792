using System.Globalization;
using System.Text;
using RecipeCi.Results;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;
using static RecipeCi.Reports.TimelineGeometry;

namespace RecipeCi.Reports;

/// <summary>
/// The timeline as SVG and its legend: each task's bar shaded by its swarm state and outlined by
/// the spec it runs, the update states as bands, the harness's markers as numbered dashed lines.
/// Its colours are swarm's states, not the verdicts' palette.
/// </summary>
public static class TimelineMarkup
{
    private static readonly Dictionary<string, string> StateFill = new()
    {
        ["new"] = "#d0d7de", ["pending"] = "#d0d7de", ["assigned"] = "#d0d7de", ["accepted"] = "#d0d7de", ["preparing"] = "#c6d3e6",
        ["ready"] = "#c6d3e6", ["starting"] = "#9ec5fe", ["running"] = "#3fb950", ["complete"] = "#8b949e", ["shutdown"] = "#b1bac4",
        ["failed"] = "#e5534b", ["rejected"] = "#e5534b", ["orphaned"] = "#b1bac4", ["remove"] = "#b1bac4",
    };

    private static readonly Dictionary<string, string> SpecStroke = new()
    {
        ["base"] = "#0969da", ["head"] = "#8250df", ["rollback"] = "#cf222e", ["previous"] = "#6e7781",
    };

    /// <summary>Each update state its own shade: a band's colour alone tells which it is.</summary>
    private static readonly Dictionary<string, string> UpdateFill = new()
    {
        ["updating"] = "#fff8c5", ["completed"] = "#dafbe1", ["paused"] = "#ddf4ff", ["rollback_started"] = "#ffd8b5",
        ["rollback_completed"] = "#ffcecb", ["rollback_paused"] = "#e8dcff",
    };

    /// <summary>A marker's colour and what the legend calls it: good news green, bad news red, a refusal orange, the harness's own acts dark.</summary>
    private static (string Colour, string Name) Looks(MarkerKind kind) => kind switch
    {
        MarkerKind.Action => ("#24292f", "the harness acted (deploy, checkout)"),
        MarkerKind.Removal => ("#6e7781", "the harness removed the stack"),
        MarkerKind.Held => ("#1a7f37", "judged good (converged)"),
        MarkerKind.NotHeld => ("#cf222e", "judged bad (rolled back, failed, timed out)"),
        MarkerKind.Refusal => ("#bc4c00", "refused before deploying"),
        MarkerKind.Decision => ("#0969da", "decided"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private const string FailedStroke = "#82071e";

    /// <summary>Coordinates to a tenth of a pixel.</summary>
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Svg(TimelineLayout layout)
    {
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {layout.Height}\" width=\"{Width}\" height=\"{layout.Height}\" role=\"img\" aria-label=\"timeline\">");
        foreach (var tick in layout.Ticks)
            svg.Append($"<line x1=\"{N(tick.X)}\" y1=\"{Top - 6}\" x2=\"{N(tick.X)}\" y2=\"{layout.Height - 20}\" stroke=\"#eaeef2\"/>" +
                       $"<text x=\"{N(tick.X)}\" y=\"{Top - 10}\" font-size=\"13\" text-anchor=\"middle\">+{tick.Seconds}s</text>");
        foreach (var lane in layout.Lanes)
        {
            svg.Append($"<g class=\"lane\" data-lane=\"{Encode(lane.Service)}\"><text x=\"4\" y=\"{lane.Y + 24}\" font-size=\"14\">{Encode(lane.Service)}</text>");
            foreach (var band in lane.Bands)
                svg.Append($"<rect class=\"band\" data-state=\"{Encode(band.Update.State)}\" x=\"{N(band.X)}\" y=\"{lane.Y}\" width=\"{N(band.Width)}\" height=\"{LaneHeight - 2}\" " +
                           $"fill=\"{UpdateFill.GetValueOrDefault(band.Update.State, "#f6f8fa")}\"><title>{Encode(band.Update.Text)}</title></rect>");
            // A failed state is outlined dark red whatever its spec, so that it reads as a failure at a glance.
            foreach (var bar in lane.Bars)
                svg.Append($"<rect class=\"task{(TimelineSelection.Fails(bar.Event.State) ? " failed" : "")}\" data-state=\"{Encode(bar.Event.State)}\" x=\"{N(bar.X)}\" y=\"{bar.Y}\" width=\"{N(bar.Width)}\" height=\"{BarHeight}\" " +
                           $"fill=\"{StateFill.GetValueOrDefault(bar.Event.State, "#d0d7de")}\" " +
                           $"stroke=\"{(TimelineSelection.Fails(bar.Event.State) ? FailedStroke : SpecStroke.GetValueOrDefault(bar.Event.Spec ?? "", "#6e7781"))}\" stroke-width=\"1.5\"><title>{Encode(bar.Event.Text)}</title></rect>");
            svg.Append("</g>");
        }
        foreach (var marker in layout.Markers)
        {
            var colour = Looks(marker.Kind).Colour;
            var labelY = layout.Bottom + 8 + (marker.Row + 1) * LabelRow;
            svg.Append($"<g class=\"marker {marker.Event.Kind.Word()} {marker.Kind.Word()}\"><line x1=\"{N(marker.X)}\" y1=\"{Top}\" x2=\"{N(marker.X)}\" y2=\"{labelY - 11}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"4,3\"/>" +
                       $"<text x=\"{N(marker.X)}\" y=\"{labelY}\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{colour}\">{marker.Number}</text><title>{Encode(marker.Event.Text)}</title></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Only what this timeline shows: the specs its tasks ran, their states, the update states and
    /// the kinds of marker that occur; then the markers' list, numbered and coloured as on the SVG.
    /// </summary>
    public static string Legend(TimelineLayout layout)
    {
        var bars = layout.Lanes.SelectMany(l => l.Bars).Select(b => b.Event).ToList();
        var legend = new StringBuilder("<div class=\"legend\"><p>");
        foreach (var (spec, colour) in SpecStroke.Where(s => bars.Any(b => b.Spec == s.Key)))
            legend.Append($"<span data-kind=\"spec\"><span class=\"swatch\" style=\"border:2px solid {colour}\"></span>{spec} spec</span>");
        foreach (var (state, colour) in StateFill.Where(s => bars.Any(b => b.State == s.Key)))
            legend.Append($"<span data-kind=\"task\" data-state=\"{state}\"><span class=\"swatch\" style=\"background:{colour}" +
                          $"{(TimelineSelection.Fails(state) ? $";border:2px solid {FailedStroke}" : "")}\"></span>{state}</span>");
        var updates = layout.Lanes.SelectMany(l => l.Bands).Select(b => b.Update.State).ToHashSet();
        foreach (var (state, colour) in UpdateFill.Where(u => updates.Contains(u.Key)))
            legend.Append($"<span data-kind=\"update\" data-state=\"{state}\"><span class=\"swatch\" style=\"background:{colour}\"></span>update {state.Replace('_', ' ')}</span>");
        legend.Append("</p><p>");
        foreach (var kind in layout.Markers.Select(m => m.Kind).Distinct().Order())
            legend.Append($"<span data-kind=\"marker\"><span class=\"swatch\" style=\"background:{Looks(kind).Colour}\"></span>{Looks(kind).Name}</span>");
        legend.Append("</p><ol>");
        foreach (var marker in layout.Markers)
            legend.Append($"<li style=\"color:{Looks(marker.Kind).Colour}\">+{N(marker.Seconds)}s {Encode(marker.Event.Text)}</li>");
        return legend.Append("</ol></div>").ToString();
    }
}
