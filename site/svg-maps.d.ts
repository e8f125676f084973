// @svg-maps/* declare their map with a type from "svg-maps__common", which ships no types.
declare module 'svg-maps__common' {
  export interface Map {
    label: string;
    viewBox: string;
    locations: { id: string; name: string; path: string }[];
  }
}
