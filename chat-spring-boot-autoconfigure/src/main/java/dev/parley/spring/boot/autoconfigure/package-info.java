/**
 * Spring Boot auto-configuration of Parley: add {@code dev.parley:chat-spring-boot-starter}
 * and a Boot web application serves chat on its own port (see {@code docs/spring-boot.md}).
 * Settings are {@link dev.parley.spring.boot.autoconfigure.ParleyProperties} under
 * {@code parley.*}; every bean backs off when the application declares its own.
 */
package dev.parley.spring.boot.autoconfigure;
