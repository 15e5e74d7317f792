namespace RecipeCi.Context;

/// <summary>
/// Bad input (an option, the catalogue, a path): the run ends before it starts, with this message
/// as one line and exit code 2 (Program.cs maps it with the host's MapException).
/// </summary>
public sealed class BadInputException(string message) : Exception(message);
