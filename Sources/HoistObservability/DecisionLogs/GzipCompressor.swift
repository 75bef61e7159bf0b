#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CompressNIO
import NIOCore

/// gzip (RFC 1952) of whole buffers at the fastest level, for decision-log chunks.
///
/// Uses libdeflate when the system has it (`libdeflate.so.0`, loaded at run time, so it is optional:
/// about twice as fast as zlib at level 1 and a slightly better ratio), else zlib through CompressNIO
/// (one stream, reset per buffer). Either way the output is plain gzip. Not thread-safe: one per chunker.
final class GzipCompressor {
    enum Backend: Sendable, Equatable {
        case libdeflate
        case zlib
    }

    let backend: Backend
    private let deflater: OpaquePointer?
    private let zlib: ZlibCompressor?

    /// `preferring` nil picks libdeflate when it can be loaded; nil when no backend initialises.
    init?(preferring preferred: Backend? = nil) {
        if preferred != .zlib, let library = LibDeflate.shared, let deflater = library.alloc(1) {
            backend = .libdeflate
            self.deflater = deflater
            zlib = nil
            return
        }
        guard preferred != .libdeflate,
            let zlib = try? ZlibCompressor(algorithm: .gzip, configuration: .init(compressionLevel: .fastestCompression))
        else { return nil }
        backend = .zlib
        deflater = nil
        self.zlib = zlib
    }

    deinit {
        if let deflater { LibDeflate.shared?.free(deflater) }
    }

    /// What ``compress(_:capacity:)`` produced.
    enum Result {
        /// The gzip member, at most `capacity` bytes.
        case compressed(ByteBuffer)
        /// It needs more than `capacity` bytes; `consumed` input bytes had been read when the output
        /// was full (nil when the backend cannot tell).
        case overflow(consumed: Int?)
    }

    /// gzip of `input`'s readable bytes into a new buffer of at most `capacity` bytes.
    func compress(_ input: inout ByteBuffer, capacity: Int) -> Result {
        var output = ByteBufferAllocator().buffer(capacity: capacity)
        if let deflater, let library = LibDeflate.shared {
            let written = input.withUnsafeReadableBytes { source in
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { target in
                    library.gzip(deflater, source.baseAddress, source.count, target.baseAddress, capacity)
                }
            }
            return written == 0 ? .overflow(consumed: nil) : .compressed(output)
        }
        guard let zlib else { return .overflow(consumed: nil) }
        let total = input.readableBytes
        do {
            try zlib.reset()
            try zlib.deflate(from: &input, to: &output, flush: .finish)
        } catch {
            return .overflow(consumed: total - input.readableBytes)
        }
        return output.readableBytes <= capacity ? .compressed(output) : .overflow(consumed: total)
    }
}

/// libdeflate's compressor API, resolved with `dlopen` (no build-time dependency).
struct LibDeflate: @unchecked Sendable {  // immutable C function pointers of a library that is never unloaded
    typealias Alloc = @convention(c) (Int32) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias Gzip = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int) -> Int

    let alloc: Alloc
    let free: Free
    /// `libdeflate_gzip_compress`: the compressed size, or 0 when it does not fit in the output.
    let gzip: Gzip

    static let shared: LibDeflate? = {
        for name in ["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let alloc = dlsym(handle, "libdeflate_alloc_compressor"),
                let free = dlsym(handle, "libdeflate_free_compressor"),
                let gzip = dlsym(handle, "libdeflate_gzip_compress")
            {
                return LibDeflate(
                    alloc: unsafeBitCast(alloc, to: Alloc.self), free: unsafeBitCast(free, to: Free.self),
                    gzip: unsafeBitCast(gzip, to: Gzip.self))
            }
            dlclose(handle)
        }
        return nil
    }()
}
