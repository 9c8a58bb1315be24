/** verifier/: the front door of the observer's verifier (replays a record through the rules). Empty until the verifier issue lands; spec §V. */
export {};
