using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

/// <summary>The <c>browser:</c> check kind of tests/&lt;recipe&gt;/checks.yaml: its steps, and one clear error per mistake.</summary>
public sealed class BrowserSpecTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("recipe-ci-browser-spec-").FullName, "tests", "hello");

    public BrowserSpecTests() => Directory.CreateDirectory(_folder);

    private string File => Path.Combine(_folder, "checks.yaml");

    private List<CheckSpec> Read(string yaml)
    {
        System.IO.File.WriteAllText(File, yaml);
        return CheckReader.ReadFolder(_folder);
    }

    private string Error(string yaml) => Assert.Throws<ConfigException>(() => Read(yaml)).Message;

    [Fact]
    public void Steps_are_read_in_order_with_their_line_timeout_and_values()
    {
        var checks = Read("""
            checks:
              - name: admin logs in
                after: install
                browser:
                  timeout: 20
                  steps:
                    - goto: /login
                    - fill: {selector: "#password", value: "secret:admin_password"}
                    - fill: {selector: "#user", value: "env:ADMIN_USER", timeout: 3}
                    - fill: {selector: "#note", value: "plain words"}
                    - fill: {selector: "#otp", value: "check:test_password"}
                    - click: "button[type=submit]"
                    - wait_for: "#dashboard"
                    - expect_url: /admin
                    - expect_text: {text: Welcome, selector: h1}
                    - expect_status: 200
                    - screenshot: logged-in
              - browser:
                  steps:
                    - goto: /
            """);

        var check = Assert.IsType<BrowserCheck>(checks[0]);
        Assert.Equal(("admin logs in", CheckMoment.Install), (check.Name, check.After));
        Assert.Equal(
            [new GotoStep($"{File}:7", TimeSpan.FromSeconds(20), "/login"),
             new FillStep($"{File}:8", TimeSpan.FromSeconds(20), "#password", new StepValue(StepValueSource.Secret, "admin_password")),
             new FillStep($"{File}:9", TimeSpan.FromSeconds(3), "#user", new StepValue(StepValueSource.Env, "ADMIN_USER")),
             new FillStep($"{File}:10", TimeSpan.FromSeconds(20), "#note", new StepValue(StepValueSource.Literal, "plain words")),
             new FillStep($"{File}:11", TimeSpan.FromSeconds(20), "#otp", new StepValue(StepValueSource.Check, "test_password")),
             new ClickStep($"{File}:12", TimeSpan.FromSeconds(20), "button[type=submit]"),
             new WaitForStep($"{File}:13", TimeSpan.FromSeconds(20), "#dashboard"),
             new ExpectUrlStep($"{File}:14", TimeSpan.FromSeconds(20), "/admin"),
             new ExpectTextStep($"{File}:15", TimeSpan.FromSeconds(20), "Welcome", "h1"),
             new ExpectStatusStep($"{File}:16", TimeSpan.FromSeconds(20), 200),
             new ScreenshotStep($"{File}:17", TimeSpan.FromSeconds(20), "logged-in")],
            check.Steps);
        var second = Assert.IsType<BrowserCheck>(checks[1]);
        Assert.Equal(CheckReader.DefaultStepTimeout, Assert.Single(second.Steps).Timeout);
        Assert.Equal((CheckMoment.End, "browser, 1 step(s): goto /"), (second.After, second.Name));
    }

    [Fact]
    public void A_named_value_is_described_by_its_name_never_by_what_it_resolves_to()
    {
        var fill = new FillStep("checks.yaml:3", CheckReader.DefaultStepTimeout, "#password", StepValue.Parse("secret:admin_password"));

        Assert.Equal("fill '#password' with secret:admin_password", fill.Describe());
        Assert.Equal("fill '#q' with 'cats'", (fill with { Selector = "#q", Value = StepValue.Parse("cats") }).Describe());
        Assert.Equal("fill '#p' with check:test_password", (fill with { Selector = "#p", Value = StepValue.Parse("check:test_password") }).Describe());
    }

    [Fact]
    public void An_unknown_step_names_the_file_line_and_the_steps_there_are()
    {
        var error = Error("checks:\n  - browser:\n      steps:\n        - goto: /\n        - tap: \"#go\"\n");

        Assert.Equal($"{File}:5: checks[0].browser.steps[1]: unknown step 'tap'. Fix: use one of: goto, fill, click, expect_text, expect_url, expect_status, screenshot, wait_for", error);
    }

    [Theory]
    [InlineData("screenshot: ../logged-in", "checks[0].browser.steps[0].screenshot.name: '../logged-in' is not a file name for the screenshot. Fix: use letters, digits, '.', '_' or '-'")]
    [InlineData("screenshot: \"logged in\"", "'logged in' is not a file name for the screenshot")]
    [InlineData("screenshot: failure", "'failure' is the failing step's")]
    public void A_screenshot_name_that_is_not_a_file_name_is_refused(string step, string expected)
    {
        var error = Error($"checks:\n  - browser:\n      steps:\n        - {step}\n");

        Assert.StartsWith($"{File}:4: ", error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("- fill: \"#password\"", "checks[0].browser.steps[0].fill: fill needs a selector and a value. Fix: write it as '- fill: {selector: \"#password\", value: \"secret:admin_password\"}'")]
    [InlineData("- fill: {selector: \"#p\", value: \"secret:\"}", "checks[0].browser.steps[0].fill.value: 'secret:' names no secret. Fix: write 'secret:<name>'")]
    [InlineData("- fill: {selector: \"#p\", value: \"check:\"}", "checks[0].browser.steps[0].fill.value: 'check:' names no check. Fix: write 'check:<name>'")]
    [InlineData("- goto: https://example.org/", "checks[0].browser.steps[0].goto.path: expected a path on the app's domain starting with '/', got 'https://example.org/'")]
    [InlineData("- expect_status: ok", "checks[0].browser.steps[0].expect_status.status: expected a whole number from 100 to 599, got 'ok'")]
    [InlineData("- click: {selector: \"#go\", timeout: 0}", "checks[0].browser.steps[0].click.timeout: expected a whole number from 1 to 300, got '0'")]
    [InlineData("- click: {selector: \"#go\", wait: 3}", "checks[0].browser.steps[0].click.wait: unknown key. Fix: use one of: selector, timeout")]
    [InlineData("- {goto: /, click: \"#go\"}", "checks[0].browser.steps[0]: a step is one action")]
    [InlineData("- screenshot: a\n        - screenshot: a", "checks[0].browser.steps[1].screenshot: a second screenshot named 'a'")]
    public void A_malformed_step_says_which_step_and_the_fix(string steps, string expected)
    {
        Assert.Contains(expected, Error($"checks:\n  - browser:\n      steps:\n        {steps}\n"));
    }

    [Fact]
    public void A_browser_check_without_steps_or_in_a_probe_list_is_refused()
    {
        Assert.Contains($"{File}:2: checks[0].browser.steps: expected a list of steps", Error("checks:\n  - browser: {timeout: 5}\n"));
        var y = new YamlReader("recipes.yaml");
        var probes = y.Entries(y.Load("probes:\n  - browser: {steps: [{goto: /}]}\n"), "", ["probes"])["probes"];
        var error = Assert.Throws<ConfigException>(() => CheckReader.Read(y, probes, "probes", "hello")).Message;
        Assert.StartsWith("recipes.yaml:2: probes[0].browser: a browser check is not a probe", error);
        Assert.Contains("Fix: move it to tests/hello/checks.yaml, where browser checks run at their after: moment", error);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_folder))!, recursive: true);
}
