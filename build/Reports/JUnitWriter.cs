using System.Globalization;
using System.Xml.Linq;
using RecipeCi.Files;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>
/// <c>junit.xml</c>: one testcase per stage. A recipe failure is a &lt;failure&gt;, a harness or
/// infrastructure problem an &lt;error&gt;, an intentional skip or a stage that never ran a
/// &lt;skipped&gt; with its reason: the three stay apart.
/// </summary>
public static class JUnitWriter
{
    public const string FileName = "junit.xml";

    public static string Write(string runDirectory, RunResult result, ArtifactWriter artifacts) =>
        artifacts.Write(Path.Combine(runDirectory, FileName), Text(Document(result)));

    /// <summary>The document as a file holds it, with its XML declaration.</summary>
    public static string Text(XDocument doc) => $"{doc.Declaration}\n{doc}";

    public static XDocument Document(RunResult result)
    {
        var cases = result.Stages.SelectMany(s => s.Checks.Count == 0 ? [Case(result, s)] : s.Checks.Select(c => CheckCase(result, s, c))).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", $"recipe-ci.{result.Recipe}.{result.Mode}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", result.Stages.Sum(s => s.Checks.Count == 0 ? (s.Status.IsFailure() ? 1 : 0) : s.Checks.Count(c => c.Failed))),
            new XAttribute("errors", result.Stages.Count(s => s.Checks.Count == 0 && s.Status is StageStatus.Error)),
            new XAttribute("skipped", result.Stages.Sum(s => s.Checks.Count == 0 ? (s.Status is StageStatus.Skipped or StageStatus.Unverified ? 1 : 0) : s.Checks.Count(c => c.Skipped))),
            new XAttribute("time", Seconds(result.Stages.Sum(s => s.DurationS))),
            new XAttribute("timestamp", result.StartedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                Property("run_id", result.RunId), Property("verdict", result.Verdict.Word()), Property("level", result.Level.ToString(CultureInfo.InvariantCulture)),
                Property("driver", result.Driver), Property("ref", result.Ref ?? ""), Property("app_domain", result.AppDomain)),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", new XAttribute("name", "recipe-ci"), suite));
    }

    private static XElement Case(RunResult result, StageResult s)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", $"{result.Recipe}.{result.Mode}"),
            new XAttribute("name", s.Name),
            new XAttribute("time", Seconds(s.DurationS)));
        var message = $"{s.Status.Word()}: {s.Reason}";
        var body = $"{message}\nevidence: {s.Folder}/{(s.Evidence.Count > 0 ? " " + string.Join(", ", s.Evidence) : "")}";
        if (s.Status.IsFailure()) element.Add(new XElement("failure", new XAttribute("type", s.Status.Word()), new XAttribute("message", message), body));
        else if (s.Status is StageStatus.Error) element.Add(new XElement("error", new XAttribute("type", "error"), new XAttribute("message", message), body));
        else if (s.Status is StageStatus.Skipped or StageStatus.Unverified) element.Add(new XElement("skipped", new XAttribute("message", message)));
        return element;
    }

    /// <summary>A check of a stage (custom checks) as its own testcase.</summary>
    private static XElement CheckCase(RunResult result, StageResult s, Recipes.CheckResult c)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", $"{result.Recipe}.{result.Mode}.{s.Name}"),
            new XAttribute("name", c.Name),
            new XAttribute("time", Seconds(c.DurationS)));
        if (c.Skipped)
            element.Add(new XElement("skipped", new XAttribute("message", c.Detail)));
        else if (!c.Passed)
            element.Add(new XElement("failure", new XAttribute("type", "failed"), new XAttribute("message", c.Detail), $"{c.Detail}\nevidence: {s.Folder}/"));
        return element;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);
}
