import Testing
@Test func placeholderMetaLintTests() { #expect(Bool(true)) }
