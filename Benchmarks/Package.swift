// swift-tools-version: 6.1
// In-process benchmarks of Hoist's evaluation engine (ordo-one/benchmark, mallocs counted).
// Kept out of the root package so `swift build` / `swift test` there never build the benchmark tooling.
//
//   swift package --disable-sandbox benchmark                 # full run (see BENCHMARKS.md)
//   HOIST_BENCH_SMOKE=1 swift package --disable-sandbox benchmark   # CI smoke mode (scripts/bench-smoke.sh)
import PackageDescription

// A path dependency's identity is its directory's name (the clone's name in CI may differ from "hoist").
let rootIdentity = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "hoist").lowercased()

let package = Package(
    name: "HoistBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HoistBenchmarks",
            dependencies: [
                .product(name: "HoistCore", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HoistBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
