import Testing
@Test func placeholderReferenceTests() { #expect(Bool(true)) }
