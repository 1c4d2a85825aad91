using Robotics.Core.Images;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// Pillow's bicubic resize of 8-bit images (libImaging/Resample.c), reproduced to the bit, because CLIP's image
/// processor resizes with PIL and a model's numbers depend on it. What makes it Pillow's rather than a textbook
/// bicubic: the kernel's a = −0.5 (PyTorch uses −0.75); when shrinking the kernel is stretched by the scale, so every
/// source pixel under an output pixel counts (antialiasing); weights are normalised per output pixel, then rounded to
/// 22-bit fixed point; and the image is resized horizontally first, then vertically, each pass rounding to 8 bits.
/// </summary>
public static class PilBicubic
{
    private const double A = -0.5;
    private const double Support = 2.0;
    /// <summary>32 − 8 − 2: room for 8-bit values times weights summed without overflow (Resample.c's PRECISION_BITS).</summary>
    private const int PrecisionBits = 22;

    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size must be positive, got {width}x{height}");
        // Image.resize returns a copy when nothing changes; both passes would be skipped anyway.
        if (width == image.Width && height == image.Height) return image with { Pixels = (byte[])image.Pixels.Clone() };

        var (horizontalBounds, horizontalWeights, horizontalTaps) = Coefficients(image.Width, width);
        var (verticalBounds, verticalWeights, verticalTaps) = Coefficients(image.Height, height);

        var source = image;
        if (width != image.Width)
        {
            // Only the source rows some output row reads are resized horizontally (Resample.c's ybox_first/ybox_last).
            int first = verticalBounds[0], last = verticalBounds[2 * height - 2] + verticalBounds[2 * height - 1];
            if (height == image.Height) (first, last) = (0, image.Height);
            source = Horizontal(image, first, last - first, width, horizontalBounds, horizontalWeights, horizontalTaps);
            if (height != image.Height)
                for (int y = 0; y < height; y++) verticalBounds[2 * y] -= first;
        }
        return height == image.Height ? source : Vertical(source, height, verticalBounds, verticalWeights, verticalTaps);
    }

    private static double Cubic(double x)
    {
        if (x < 0) x = -x;
        if (x < 1) return ((A + 2) * x - (A + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * A;
        return 0;
    }

    /// <summary>Resample.c's precompute_coeffs + normalize_coeffs_8bpc: per output pixel, the first source pixel, the tap count, and fixed-point weights.</summary>
    private static (int[] Bounds, int[] Weights, int Taps) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * taps];
        var k = new double[taps];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double total = 0, ss = 1.0 / filterScale;
            int xmin = (int)(center - support + 0.5); // C's (int) truncates toward zero, as here
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            for (int x = 0; x < xmax; x++)
            {
                double w = Cubic((x + xmin - center + 0.5) * ss);
                k[x] = w;
                total += w;
            }
            for (int x = 0; x < taps; x++)
            {
                double w = x < xmax ? (total != 0 ? k[x] / total : k[x]) : 0;
                weights[xx * taps + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, weights, taps);
    }

    private static byte Clip8(int value)
    {
        int v = value >> PrecisionBits; // arithmetic shift, as C's on int
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    private static RgbImage Horizontal(RgbImage image, int firstRow, int rows, int width, int[] bounds, int[] weights, int taps)
    {
        var src = image.Pixels;
        var dst = new byte[width * rows * 3];
        int inStride = image.Width * 3;
        for (int y = 0; y < rows; y++)
        {
            int rowStart = (y + firstRow) * inStride;
            for (int xx = 0; xx < width; xx++)
            {
                int xmin = bounds[xx * 2], xmax = bounds[xx * 2 + 1], kOffset = xx * taps;
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (int x = 0; x < xmax; x++)
                {
                    int w = weights[kOffset + x], p = rowStart + (x + xmin) * 3;
                    r += src[p] * w;
                    g += src[p + 1] * w;
                    b += src[p + 2] * w;
                }
                int o = (y * width + xx) * 3;
                dst[o] = Clip8(r);
                dst[o + 1] = Clip8(g);
                dst[o + 2] = Clip8(b);
            }
        }
        return new RgbImage(width, rows, dst);
    }

    private static RgbImage Vertical(RgbImage image, int height, int[] bounds, int[] weights, int taps)
    {
        var src = image.Pixels;
        int width = image.Width, stride = width * 3;
        var dst = new byte[width * height * 3];
        for (int yy = 0; yy < height; yy++)
        {
            int ymin = bounds[yy * 2], ymax = bounds[yy * 2 + 1], kOffset = yy * taps;
            for (int xx = 0; xx < width; xx++)
            {
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (int y = 0; y < ymax; y++)
                {
                    int w = weights[kOffset + y], p = (y + ymin) * stride + xx * 3;
                    r += src[p] * w;
                    g += src[p + 1] * w;
                    b += src[p + 2] * w;
                }
                int o = (yy * width + xx) * 3;
                dst[o] = Clip8(r);
                dst[o + 1] = Clip8(g);
                dst[o + 2] = Clip8(b);
            }
        }
        return new RgbImage(width, height, dst);
    }
}
