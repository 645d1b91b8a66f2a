/**
 * Network adapters: the peer wire protocol over TCP (BEP 3) and tracker clients and server (BEP 3, 15, 23, 48).
 * Empty until the swarm-core issue; the module exists so the hexagon's shape and its ArchUnit rules are fixed now.
 */
package dev.jtorr.adapters.net;
