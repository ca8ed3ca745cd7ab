export declare const OPERANDS: Record<string, string[]>;
export declare const SIMPLE_TRANSFORMS: string[];
export declare const LIFECYCLE_STAGES: string[];
