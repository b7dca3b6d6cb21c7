import MetaCore

/// A `// metalint:ignore RULE` comment that silences nothing (or names no known rule). Its findings are made
/// by `Suppressions` after the other rules ran; `run` is empty by design.
let unusedSuppressionRule = Rule(
  id: "unused-suppression", defaultSeverity: .warning,
  summary: "a suppression comment silences nothing",
  doc: RuleDoc(
    whatItDoes: """
      Reports a `// metalint:ignore RULE` or `// metalint:ignore-file RULE` comment for which RULE reports \
      nothing where the comment applies, or names a rule that does not exist.
      """,
    whyItMatters: """
      A stale suppression hides the next real finding at that place; a misspelt rule silences nothing at all.
      """,
    example: """
      let y = shared_experts(x, forwardMeta)   // metalint:ignore dropped-context — nothing is dropped here
      """,
    fix: "Delete the comment, or the rule from it."),
  fixable: false,
  run: { _ in })
