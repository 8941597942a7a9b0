-- Each subgraph owns its own database.
CREATE DATABASE profile OWNER fitgraph;
CREATE DATABASE exercises OWNER fitgraph;
CREATE DATABASE plans OWNER fitgraph;
CREATE DATABASE feedback OWNER fitgraph;
