import Testing
@Test func placeholderModelDSLTests() { #expect(Bool(true)) }
