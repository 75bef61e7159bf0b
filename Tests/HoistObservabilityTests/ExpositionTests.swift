import Testing

@Suite struct ExpositionTests {
    @Test func placeholder() {}
}
