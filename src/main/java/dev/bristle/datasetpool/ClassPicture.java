package dev.bristle.datasetpool;

/**
 * One class of a pooled set as its page shows it: the class's name and a picture of all its images.
 *
 * @param width  the picture's width in pixels, drawn at {@code scale} times its size
 * @param height the picture's height in pixels
 * @param scale  how many screen pixels a picture pixel takes on the page (nearest neighbour, never blurred)
 */
public record ClassPicture(int index, String name, int images, String url, int width, int height, int scale) {

    public int displayWidth() {
        return width * scale;
    }

    public int displayHeight() {
        return height * scale;
    }
}
