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

    private static readonly Dictionary<string, string> UpdateFill = new()
    {
        ["updating"] = "#fff8c5", ["completed"] = "#dafbe1", ["paused"] = "#ffebe9", ["rollback_started"] = "#ffd8b5",
        ["rollback_completed"] = "#ffcecb", ["rollback_paused"] = "#ffcecb",
    };

    /// <summary>Coordinates to a tenth of a pixel.</summary>
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Svg(TimelineLayout layout)
    {
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {layout.Height}\" width=\"{Width}\" height=\"{layout.Height}\" role=\"img\" aria-label=\"timeline\">");
        foreach (var tick in layout.Ticks)
            svg.Append($"<line x1=\"{N(tick.X)}\" y1=\"{Top - 6}\" x2=\"{N(tick.X)}\" y2=\"{layout.Height - 20}\" stroke=\"#eaeef2\"/>" +
                       $"<text x=\"{N(tick.X)}\" y=\"{Top - 10}\" font-size=\"10\" text-anchor=\"middle\">+{tick.Seconds}s</text>");
        foreach (var lane in layout.Lanes)
        {
            svg.Append($"<g class=\"lane\" data-lane=\"{Encode(lane.Service)}\"><text x=\"4\" y=\"{lane.Y + 20}\" font-size=\"12\">{Encode(lane.Service)}</text>");
            foreach (var band in lane.Bands)
                svg.Append($"<rect class=\"band\" x=\"{N(band.X)}\" y=\"{lane.Y}\" width=\"{N(band.Width)}\" height=\"{LaneHeight - 2}\" " +
                           $"fill=\"{UpdateFill.GetValueOrDefault(band.Update.State, "#f6f8fa")}\"><title>{Encode(band.Update.Text)}</title></rect>");
            foreach (var bar in lane.Bars)
                svg.Append($"<rect class=\"task\" x=\"{N(bar.X)}\" y=\"{bar.Y}\" width=\"{N(bar.Width)}\" height=\"7\" fill=\"{StateFill.GetValueOrDefault(bar.Event.State, "#d0d7de")}\" " +
                           $"stroke=\"{SpecStroke.GetValueOrDefault(bar.Event.Spec ?? "", "#6e7781")}\" stroke-width=\"1.5\"><title>{Encode(bar.Event.Text)}</title></rect>");
            svg.Append("</g>");
        }
        foreach (var marker in layout.Markers)
        {
            var colour = marker.Event.Kind == TimelineKind.Decision ? "#cf222e" : "#24292f";
            svg.Append($"<g class=\"marker {marker.Event.Kind.Word()}\"><line x1=\"{N(marker.X)}\" y1=\"{Top}\" x2=\"{N(marker.X)}\" y2=\"{layout.Bottom + 6}\" stroke=\"{colour}\" stroke-dasharray=\"3,3\"/>" +
                       $"<text x=\"{N(marker.X)}\" y=\"{layout.Bottom + 18}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{colour}\">{marker.Number}</text><title>{Encode(marker.Event.Text)}</title></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The specs' outlines, the usual task states' and every update state's shades, then the markers' list, numbered as on the SVG.</summary>
    public static string Legend(TimelineLayout layout)
    {
        var legend = new StringBuilder("<div class=\"legend\"><p>");
        foreach (var (spec, colour) in SpecStroke) legend.Append($"<span><span class=\"swatch\" style=\"border:2px solid {colour}\"></span>{spec} spec</span>");
        legend.Append("</p><p>");
        foreach (var state in TimelineSelection.LegendTaskStates)
            legend.Append($"<span><span class=\"swatch\" style=\"background:{StateFill[state]}\"></span>{state}</span>");
        foreach (var (state, colour) in UpdateFill) legend.Append($"<span><span class=\"swatch\" style=\"background:{colour}\"></span>update {state.Replace('_', ' ')}</span>");
        legend.Append("</p><ol>");
        foreach (var marker in layout.Markers) legend.Append($"<li>+{N(marker.Seconds)}s {Encode(marker.Event.Text)}</li>");
        return legend.Append("</ol></div>").ToString();
    }
}
