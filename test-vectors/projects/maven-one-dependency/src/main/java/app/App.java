package app;

public class App {
  public static void main(String[] a) {
    throw new org.opentest4j.AssertionFailedError("x");
  }
}
