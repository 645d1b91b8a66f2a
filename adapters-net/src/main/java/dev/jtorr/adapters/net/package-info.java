/**
 * Network adapters: the peer wire protocol over TCP (BEP 3); tracker clients and server come next (BEP 3, 15, 23,
 * 48).
 */
package dev.jtorr.adapters.net;
