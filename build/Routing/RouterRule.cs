using System.Text;

namespace RecipeCi.Routing;

/// <summary>The matchers of a router rule the probe knows; every other one is reported as not followed.</summary>
public enum MatcherKind { Host, HostRegexp, PathPrefix, Path, Other }

/// <summary>One matcher of a traefik router rule, e.g. <c>Host(`a`, `b`)</c>, possibly negated with <c>!</c>.</summary>
public sealed record RuleMatcher(string Name, IReadOnlyList<string> Args, bool Negated = false)
{
    public MatcherKind Kind => Name switch
    {
        "Host" => MatcherKind.Host,
        "HostRegexp" => MatcherKind.HostRegexp,
        "PathPrefix" => MatcherKind.PathPrefix,
        "Path" => MatcherKind.Path,
        _ => MatcherKind.Other,
    };

    public RuleMatcher Negate() => this with { Negated = !Negated };

    public override string ToString() => $"{(Negated ? "!" : "")}{Name}({string.Join(", ", Args.Select(a => $"`{a}`"))})";
}

/// <summary>
/// How a rule reaches one domain: the path a visitor's request would take, and the matchers of that
/// alternative the probe does not follow (they are reported, never guessed).
/// </summary>
public sealed record RuleRoute(string Path, IReadOnlyList<RuleMatcher> NotFollowed);

/// <summary>
/// A traefik router rule (<c>Host</c>, <c>HostRegexp</c>, <c>PathPrefix</c>, <c>Path</c> and any other
/// matcher, combined with <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and parentheses), held as its alternatives:
/// each a list of matchers that must all hold (the rule in disjunctive normal form).
/// </summary>
public sealed class RouterRule
{
    /// <summary>More alternatives than a hand-written rule has: a rule past it is refused rather than expanded.</summary>
    private const int MaxAlternatives = 64;

    public string Text { get; }
    public IReadOnlyList<IReadOnlyList<RuleMatcher>> Alternatives { get; }

    private RouterRule(string text, IReadOnlyList<IReadOnlyList<RuleMatcher>> alternatives) => (Text, Alternatives) = (text, alternatives);

    /// <summary>Every host a <c>Host</c> matcher names.</summary>
    public IEnumerable<string> Hosts => Alternatives.SelectMany(a => a).Where(m => m is { Kind: MatcherKind.Host, Negated: false })
        .SelectMany(m => m.Args).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>HostRegexp</c> matchers, which the probe does not evaluate.</summary>
    public IEnumerable<RuleMatcher> HostPatterns => Alternatives.SelectMany(a => a).Where(m => m.Kind == MatcherKind.HostRegexp).Distinct();

    /// <summary>Parses a rule, or gives why it does not parse (where, and what was expected).</summary>
    public static bool TryParse(string text, out RouterRule rule, out string error)
    {
        rule = new RouterRule(text, []);
        try
        {
            var parser = new Parser(text);
            var alternatives = parser.Or();
            parser.End();
            rule = new RouterRule(text, alternatives);
            error = "";
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The first alternative whose hosts include <paramref name="domain"/> (traefik compares hosts
    /// case-insensitively); an alternative without a host matcher routes every host. An alternative
    /// that needs a <c>HostRegexp</c> is not followed, so it never routes here.
    /// </summary>
    public RuleRoute? RouteFor(string domain)
    {
        foreach (var alternative in Alternatives)
        {
            var hosts = alternative.Where(m => m is { Kind: MatcherKind.Host, Negated: false }).ToList();
            if (alternative.Any(m => m.Kind == MatcherKind.HostRegexp)) continue;
            if (!hosts.All(h => h.Args.Contains(domain, StringComparer.OrdinalIgnoreCase))) continue;
            var paths = alternative.Where(m => m is { Kind: MatcherKind.PathPrefix or MatcherKind.Path, Negated: false, Args.Count: > 0 }).ToList();
            var path = paths.Count > 0 ? paths[0].Args[0] : "/";
            // The request asks the first path; a second path matcher, a negation or another matcher is reported.
            var notFollowed = alternative.Where(m => m.Negated || m.Kind == MatcherKind.Other).Concat(paths.Skip(1)).ToList();
            return new RuleRoute(path.StartsWith('/') ? path : "/" + path, notFollowed);
        }
        return null;
    }

    public override string ToString() => Text;

    /// <summary>Recursive descent over the rule's text; each level returns its alternatives.</summary>
    private sealed class Parser(string text)
    {
        private int _at;

        public List<IReadOnlyList<RuleMatcher>> Or()
        {
            var result = And();
            while (Take("||")) result = Limit([.. result, .. And()]);
            return result;
        }

        private List<IReadOnlyList<RuleMatcher>> And()
        {
            var result = Unary();
            while (Take("&&"))
            {
                var right = Unary();
                result = Limit(result.SelectMany(l => right.Select(r => (IReadOnlyList<RuleMatcher>)[.. l, .. r])).ToList());
            }
            return result;
        }

        private List<IReadOnlyList<RuleMatcher>> Unary()
        {
            if (Take("!"))
            {
                // De Morgan: not (A or B) is (not A) and (not B); not (a and b) is (not a) or (not b).
                List<IReadOnlyList<RuleMatcher>> result = [[]];
                foreach (var alternative in Unary())
                    result = Limit(result.SelectMany(l => alternative.Select(m => (IReadOnlyList<RuleMatcher>)[.. l, m.Negate()])).ToList());
                return result;
            }
            if (Take("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }
            return [[Matcher()]];
        }

        private RuleMatcher Matcher()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && char.IsAsciiLetterOrDigit(text[_at])) _at++;
            if (_at == start) throw Error("a matcher such as Host(`example.org`)");
            var name = text[start.._at];
            Expect("(");
            var args = new List<string>();
            if (!Take(")"))
            {
                do args.Add(Quoted());
                while (Take(","));
                Expect(")");
            }
            return new RuleMatcher(name, args);
        }

        private string Quoted()
        {
            Skip();
            if (_at >= text.Length || text[_at] is not ('`' or '"')) throw Error("a value in backquotes, e.g. `example.org`");
            var quote = text[_at++];
            var value = new StringBuilder();
            while (_at < text.Length && text[_at] != quote)
            {
                // Double-quoted values follow Go's escapes; only the quote and backslash matter here.
                if (quote == '"' && text[_at] == '\\' && _at + 1 < text.Length) _at++;
                value.Append(text[_at++]);
            }
            if (_at >= text.Length) throw Error($"the closing {quote}");
            _at++;
            return value.ToString();
        }

        public void End()
        {
            Skip();
            if (_at < text.Length) throw Error("&&, || or the end of the rule");
        }

        private bool Take(string token)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) != 0) return false;
            _at += token.Length;
            return true;
        }

        private void Expect(string token)
        {
            if (!Take(token)) throw Error($"'{token}'");
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Error(string expected) =>
            new($"expected {expected} at character {_at + 1}, found {(_at < text.Length ? $"'{text[_at..Math.Min(text.Length, _at + 12)]}'" : "the end")}");

        private List<IReadOnlyList<RuleMatcher>> Limit(List<IReadOnlyList<RuleMatcher>> alternatives) =>
            alternatives.Count <= MaxAlternatives ? alternatives
            : throw new FormatException($"the rule expands to more than {MaxAlternatives} alternatives; the probe reads hand-written rules only");
    }
}
