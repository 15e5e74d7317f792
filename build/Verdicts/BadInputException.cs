namespace RecipeCi.Verdicts;

/// <summary>
/// Bad input (an option, the catalogue, a path): the run ends before it starts, with this message
/// as one line and exit code 2 (Program.cs maps it with the host's MapException). Domain code
/// throws this, never a host type.
/// </summary>
public class BadInputException(string message) : Exception(message);
