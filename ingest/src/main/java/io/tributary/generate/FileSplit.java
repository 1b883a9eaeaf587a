package io.tributary.generate;

/**
 * How arrival-ordered lines are cut into files: file {@code i} holds sequences
 * {@code lastSequence(i-1)+1 .. lastSequence(i)}, so concatenating the files in index order restores the
 * arrival order.
 */
public final class FileSplit {

  private final long linesPerFile;
  private final long totalLines;
  private final int files;

  private FileSplit(long linesPerFile, long totalLines, int files) {
    this.linesPerFile = linesPerFile;
    this.totalLines = totalLines;
    this.files = files;
  }

  /** At most {@code linesPerFile} lines per file; the number of files follows from the data. */
  public static FileSplit maxLinesPerFile(long linesPerFile) {
    if (linesPerFile < 1) {
      throw new IllegalArgumentException("linesPerFile must be >= 1, got " + linesPerFile);
    }
    return new FileSplit(linesPerFile, 0, 0);
  }

  /**
   * Exactly {@code files} files of near-equal size for {@code totalLines} lines (fewer if there are fewer lines
   * than files). Lines beyond {@code totalLines} go to the last file.
   */
  public static FileSplit evenly(long totalLines, int files) {
    if (files < 1 || totalLines < 0) {
      throw new IllegalArgumentException("need files >= 1 and totalLines >= 0, got " + files + ", " + totalLines);
    }
    return new FileSplit(0, totalLines, files);
  }

  /** 0-based index of the file holding the 1-based arrival {@code sequence}. */
  public int fileIndex(long sequence) {
    if (linesPerFile > 0) {
      return Math.toIntExact((sequence - 1) / linesPerFile);
    }
    int low = 0;
    int high = files - 1;
    while (low < high) { // smallest index whose last sequence is >= sequence
      int mid = (low + high) >>> 1;
      if (lastSequence(mid) >= sequence) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** 1-based line number of {@code sequence} within its file. */
  public long lineInFile(long sequence) {
    int index = fileIndex(sequence);
    return sequence - (index == 0 ? 0 : lastSequence(index - 1));
  }

  private long lastSequence(int index) {
    if (linesPerFile > 0) {
      return (index + 1) * linesPerFile;
    }
    return index == files - 1 ? Long.MAX_VALUE : Math.multiplyExact(index + 1L, totalLines) / files;
  }
}
