using System.Buffers.Binary;
using System.IO.Compression;

namespace PerfOtel.Reports.Tests.Support;

/// <summary>Just enough of a PNG decoder to look at a screenshot: 8-bit RGB or RGBA, non-interlaced.</summary>
internal sealed class PngImage
{
    private PngImage(int width, int height, byte[][] rows, int channels)
    {
        Width = width;
        Height = height;
        Rows = rows;
        Channels = channels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    private byte[][] Rows { get; }

    public static PngImage Read(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]); // bit depth
                channels = data[9] switch
                {
                    2 => 3,
                    6 => 4,
                    var t => throw new NotSupportedException($"PNG colour type {t}"),
                };
                Assert.Equal(0, data[12]); // not interlaced
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var rows = new byte[height][];
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = zlib.ReadByte();
            var row = new byte[stride];
            zlib.ReadExactly(row);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }

            rows[y] = row;
            previous = row;
        }

        return new PngImage(width, height, rows, channels);
    }

    /// <summary>How many distinct RGB colours the image has.</summary>
    public int DistinctColours()
    {
        var colours = new HashSet<int>();
        foreach (var row in Rows)
        {
            for (var i = 0; i < row.Length; i += Channels)
            {
                colours.Add((row[i] << 16) | (row[i + 1] << 8) | row[i + 2]);
            }
        }

        return colours.Count;
    }

    /// <summary>The share of pixels that are not (nearly) white.</summary>
    public double InkRatio()
    {
        long ink = 0;
        foreach (var row in Rows)
        {
            for (var i = 0; i < row.Length; i += Channels)
            {
                if (row[i] < 240 || row[i + 1] < 240 || row[i + 2] < 240)
                {
                    ink++;
                }
            }
        }

        return (double)ink / ((long)Width * Height);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
