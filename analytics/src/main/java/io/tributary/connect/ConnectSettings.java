package io.tributary.connect;

import io.tributary.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the Spark Connect server listens and who may talk to it. Spark Connect has no authentication of its
 * own beyond a shared token, so a server is local (loopback) unless its caller asks for more twice: an explicit
 * {@code allowRemote} and a token that every client must send.
 *
 * @param host the address to bind (a loopback address unless {@code allowRemote})
 * @param port the port to bind; 0 picks a free one
 * @param allowRemote whether a non-loopback address was asked for explicitly (--allow-remote)
 * @param token the shared secret clients send ({@value #TOKEN_ENV}), or null
 */
public record ConnectSettings(String host, int port, boolean allowRemote, String token) {
  /** The environment variable the token is read from: kept off the command line, where process lists show it. */
  public static final String TOKEN_ENV = "TRIBUTARY_CONNECT_TOKEN";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 15002;

  public ConnectSettings {
    if (host == null || host.isBlank()) {
      throw new ConfigException("--host must name an address to listen on, e.g. " + DEFAULT_HOST);
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--port " + port + " is not a port number (0-65535)");
    }
    token = token == null || token.isBlank() ? null : token;
    if (!isLoopback(host) && (!allowRemote || token == null)) {
      throw new ConfigException("refusing to listen on " + host + ": only loopback addresses are served without both "
          + "--allow-remote and a token in $" + TOKEN_ENV + " (Spark Connect has no other authentication)");
    }
  }

  /** Whether {@code host} names this machine's loopback interface only (0.0.0.0 is every interface: not loopback). */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("--host " + host + " does not resolve to an address of this machine");
    }
  }

  /** The address clients connect to for a server bound to {@code port}, without the token (never printed). */
  public String url(int boundPort) {
    String h = host;
    try {
      if (InetAddress.getByName(host).isAnyLocalAddress()) {
        h = InetAddress.getLocalHost().getCanonicalHostName();
      }
    } catch (UnknownHostException e) {
      h = host;
    }
    return "sc://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + boundPort;
  }

  @Override
  public String toString() {
    return "ConnectSettings[host=" + host + ", port=" + port + ", allowRemote=" + allowRemote
        + ", token=" + (token == null ? "none" : "***") + "]";
  }
}
