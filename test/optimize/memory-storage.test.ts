import { MemoryStudyStorage } from '../../src/optimize/storage.js';
import { studyStorageContract } from './storage-contract.js';

studyStorageContract(() => new MemoryStudyStorage());
