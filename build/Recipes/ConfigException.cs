using RecipeCi.Verdicts;

namespace RecipeCi.Recipes;

/// <summary>
/// Bad content in a file we read: names the file, the line, the key and the fix. Read before a run
/// starts (the catalogue) it is bad input, exit 2; inside a stage (a recipe's own files) it ends
/// that stage.
/// </summary>
public sealed class ConfigException(string message) : BadInputException(message);
