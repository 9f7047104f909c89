package io.caravan.format;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parquet page compression with snappy-java (which bundles its native libraries and falls back to pure Java), for
 * SNAPPY and UNCOMPRESSED pages. parquet-java's own {@code CodecFactory} builds a Hadoop {@code Configuration} for
 * every codec, which needs Hadoop on the class path; this factory needs none. Stateless and thread-safe.
 */
final class SnappyCodecs implements CompressionCodecFactory {

    static final SnappyCodecs INSTANCE = new SnappyCodecs();

    private SnappyCodecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return codec == CompressionCodecName.SNAPPY ? BytesInput.from(Snappy.compress(array(bytes)))
                        : bytes;
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                if (codec == CompressionCodecName.UNCOMPRESSED) {
                    return bytes;
                }
                byte[] out = new byte[uncompressedSize];
                byte[] in = array(bytes);
                int n = Snappy.uncompress(in, 0, in.length, out, 0);
                if (n != uncompressedSize) {
                    throw new IOException("a Snappy page holds " + n + " bytes but its header says "
                            + uncompressedSize);
                }
                return BytesInput.from(out);
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(array(decompress(BytesInput.from(in), uncompressedSize)));
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    /** @return the bytes as one array (BytesInput.toByteArray is deprecated) */
    private static byte[] array(BytesInput bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(bytes.size()));
        bytes.writeAllTo(out);
        return out.toByteArray();
    }

    private static void requireSupported(CompressionCodecName codec) {
        if (codec != CompressionCodecName.SNAPPY && codec != CompressionCodecName.UNCOMPRESSED) {
            throw new IllegalArgumentException("Parquet codec " + codec + " is not supported here; files are"
                    + " written with SNAPPY");
        }
    }
}
