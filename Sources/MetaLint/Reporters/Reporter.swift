import MetaCore

/// Output formats of `metalint check`.
public enum OutputFormat: String, CaseIterable, Sendable {
  case text, json, sarif, github
}

/// Turns a lint result into the text a format prints.
public enum Reporter {
  /// - Parameters:
  ///   - relativeTo: the directory paths are made relative to (SARIF and GitHub want repository paths).
  public static func render(_ result: LintResult, format: OutputFormat, color: Bool = false,
                            relativeTo base: String? = nil, toolVersion: String = MetaLintVersion.current) -> String {
    switch format {
    case .text: return TextReporter.render(result, color: color)
    case .json: return JSONReporter.render(result).serialized() + "\n"
    case .sarif: return SARIFReporter.render(result, base: base, toolVersion: toolVersion).serialized() + "\n"
    case .github: return GitHubReporter.render(result, base: base)
    }
  }
}

public enum MetaLintVersion {
  public static let current = "0.1.0"
}
