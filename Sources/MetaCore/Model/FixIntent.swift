/// What a fix means, decided by a rule on the checked model; each front end renders it into text edits in
/// its own syntax (`label: value` in ModelDSL, `label=value` in Python). Fix safety compares intents, never
/// rendered text: two alternatives of a union need "the same fix" when their intents are equal.
public enum FixIntent: Hashable, Sendable {
  /// Pass `value` for the parameter named `parameter` at `call`, placed as `placement` says.
  case passArgument(call: CallID, value: String, parameter: Name, placement: ArgumentPlacement)
  /// Add the parameter `name` of context type `context` to `function`.
  case addParameter(function: FunctionID, name: String, context: ContextID)
  /// Remove argument `argument` of `call` (with its separating comma).
  case removeArgument(call: CallID, argument: Int)
  /// Put the text of argument `sources[i]` into the slot of argument `slots[i]` (keyword reordering).
  case moveArguments(call: CallID, slots: [Int], sources: [Int])
  /// Replace the value of argument `argument` by `text`.
  case replaceArgument(call: CallID, argument: Int, text: String)
}

/// Where a new argument goes among a call's arguments.
public enum ArgumentPlacement: Hashable, Sendable {
  /// Positionally, right after argument `after` (nil: first).
  case positional(after: Int?)
  /// By keyword, right after argument `after` (nil: first).
  case keyword(after: Int?)
  /// Positionally, right before argument `before` (the arguments after it slid over the missing one).
  case positionalBefore(Int)
}

/// A front end's rendering of intents into edits of its files' original bytes.
public protocol FixRenderer: Sendable {
  func edits(for intent: FixIntent, in model: CheckedModel) -> [TextEdit]
}
