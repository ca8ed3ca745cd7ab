// Types for yaml-edit.js, for the jest tests that import it in node (the page itself needs none).
export type YamlPath = ReadonlyArray<string | number>;
export function readValue(text: string, path: YamlPath): unknown;
export function setValue(text: string, path: YamlPath, value: unknown): string;
export function removeItem(text: string, path: YamlPath, index: number): string;
export function moveItem(text: string, path: YamlPath, index: number, by: -1 | 1): string;
export function appendItem(text: string, path: YamlPath, value: unknown): string;
export function appendToList(text: string, path: YamlPath, value: unknown): string;
export function removeFromList(text: string, path: YamlPath, index: number): string;
