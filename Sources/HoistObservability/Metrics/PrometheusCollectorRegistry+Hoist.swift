import Prometheus

/// Registration by full exposition name plus help text (swift-prometheus wants a
/// `MetricNameDescriptor`; Hoist's names are fixed strings copied from Flipt, OPA and Prometheus).
extension PrometheusCollectorRegistry {
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        labels.isEmpty
            ? makeCounter(descriptor: Self.descriptor(name, help))
            : makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func gauge(_ name: String, help: String, labels: [(String, String)] = []) -> Gauge {
        labels.isEmpty
            ? makeGauge(descriptor: Self.descriptor(name, help))
            : makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func valueHistogram(_ name: String, help: String, labels: [(String, String)], buckets: [Double]) -> ValueHistogram {
        makeValueHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: buckets)
    }
}
